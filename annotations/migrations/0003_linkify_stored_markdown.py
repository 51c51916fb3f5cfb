"""Re-render the stored HTML of comments, notes and topics that mention a URL, so bare http(s)
URLs written before linkify became links are links too (the source text is unchanged)."""

from django.db import migrations

BATCH = 500


def rerender(apps, schema_editor):
    from annotations.markdown import render_markdown

    targets = (
        (apps.get_model("annotations", "Comment"), "body", "body_html"),
        (apps.get_model("annotations", "Highlight"), "note", "note_html"),
        (apps.get_model("groups", "Topic"), "body", "body_html"),
    )
    for model, source, html in targets:
        rows = model.objects.filter(**{f"{source}__contains": "http"}).only("pk", source, html)
        changed = []
        for row in rows.iterator(chunk_size=BATCH):
            new = render_markdown(getattr(row, source))
            if new != getattr(row, html):
                setattr(row, html, new)
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, [html])
                changed = []
        model.objects.bulk_update(changed, [html])


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0002_highlight_note_html"),
        ("groups", "0001_initial"),
    ]

    # Reversing keeps the new HTML: it is the same text, only with its URLs clickable.
    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]

"""Hand-made files with the shapes real exports have: each item in whole, skipped, or repaired."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, PageFactory
from transfer import exporters, importers
from transfer.models import ImportJob
from transfer.services import import_items, preview_import, run_import_job, start_import

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def data_rows(name):
    """An independent count: the rows of a CSV file as the csv module reads them."""
    return list(csv.DictReader(io.StringIO(fixture(name).decode())))


def test_diigo_shapes_import_every_good_row_and_report_each_fix_and_skip(user):
    rows = data_rows("diigo_real_shapes.csv")
    with_url = [r for r in rows if r["url"].strip()]
    job = start_import(user, filename="d.csv", data=fixture("diigo_real_shapes.csv"), run_now=True)
    assert job.status == ImportJob.Status.DONE
    assert (job.total, job.created, job.skipped) == (len(rows), len(with_url), 1)
    assert job.report["skipped"] == [{"where": "line 10", "reason": "the url is empty"}]
    notes = {n["where"]: n["message"] for n in job.report["notes"]}
    assert notes["line 4"] == "title and address were swapped"
    assert notes["line 5"] == "control characters removed"
    assert notes["line 9"] == "markup removed from a highlight"
    assert job.report["repaired"] == 3
    swapped = Bookmark.objects.get(owner=user, page__url="https://example.org/visual-vocabulary")
    assert swapped.title == "FT's Visual Vocabulary recreated in Tableau"
    assert Highlight.objects.get(bookmark__page__url__endswith="rapport.pdf").exact == (
        "Le rapport conclut"
    )
    assert Highlight.objects.get(bookmark__page__url__endswith="balises").exact == (
        "Un gras et un lien"
    )


def test_quoted_multi_word_diigo_tags_stay_whole(user):
    result = importers.parse(fixture("diigo_real_shapes.csv"))
    rock = next(i for i in result.items if i.url.endswith("/rock"))
    assert rock.tags == ["chuck berry", "rock and roll", "guitare"]
    assert importers.diigo_tags('"chuck berry",rock') == ["chuck berry", "rock"]
    assert importers.diigo_tags("red team stuff,x") == ["red team stuff", "x"]


def test_a_sticky_note_without_a_highlight_becomes_the_items_note(user):
    """Diigo writes an empty `Highlight:` then `Sticky notes:`: the note is the page's."""
    result = importers.parse(fixture("diigo_real_shapes.csv"))
    note = next(i for i in result.items if i.url.endswith("/note"))
    assert note.highlights == []
    assert note.description == "Une note sur la page, sans passage"


def test_preview_counts_what_the_import_would_do_and_writes_nothing(user):
    BookmarkFactory(owner=user, page=PageFactory(url="https://example.org/micro"))
    preview = preview_import(user, fixture("diigo_real_shapes.csv"))
    assert (preview.rows, preview.imported, preview.merged, preview.repaired) == (7, 6, 1, 3)
    assert [where for where, _reason in preview.skipped] == ["line 10"]
    assert Bookmark.objects.count() == 1


def test_strict_mode_keeps_all_or_nothing(user):
    job = start_import(
        user, filename="d.csv", data=fixture("diigo_real_shapes.csv"), strict=True, run_now=True
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.report["errors"] == ["line 10: the url is empty"]
    assert not Bookmark.objects.exists()


def test_import_as_private_makes_every_item_private(user):
    start_import(
        user, filename="d.csv", data=fixture("diigo_real_shapes.csv"), private=True, run_now=True
    )
    assert Bookmark.objects.filter(owner=user).count() == 6
    assert not Bookmark.objects.filter(private=False).exists()


def test_five_deep_folders_icon_data_uris_and_place_urls(user):
    text = fixture("netscape_deep.html").decode()
    links = text.count("<A HREF=")
    places = text.count('HREF="place:')
    result = importers.parse(fixture("netscape_deep.html"))
    assert len(result.items) == links - places == 2
    assert result.skipped == [("line 21 (Most visited)", "not a web address (place:)")]
    deep = result.items[0]
    assert deep.folders == ["un", "deux", "trois", "quatre", "red team stuff"]
    assert "red team stuff" in deep.tags
    outcome = import_items(user, result.items, skipped=result.skipped)
    assert outcome.created == 2


def test_deeply_nested_json_is_a_clear_message_not_a_crash(user):
    data = ("[" * 100_000 + "]" * 100_000).encode()
    # nothing in it says which export it is: refused on upload, before any job is stored
    with pytest.raises(ValidationError) as exc:
        start_import(user, filename="deep.json", data=data, run_now=True)
    assert exc.value.messages == [
        "The JSON is nested too deeply to be a bookmark export: nothing can be read."
    ]
    assert not ImportJob.objects.exists()


def test_a_date_in_year_9999_is_clamped_and_said_so(user):
    data = (
        b"title,url,tags,description,comments,annotations,created_at\n"
        b"Futur,https://example.org/futur,,,,,9999-12-31 23:59:59\n"
    )
    job = start_import(user, filename="f.csv", data=data, run_now=True)
    bookmark = Bookmark.objects.get(owner=user)
    assert bookmark.created_at.year < 9999
    assert job.report["notes"] == [
        {"where": "line 2", "message": "a date in the future (9999-12-31) set to today"}
    ]


def test_an_internal_failure_never_shows_its_exception_text(user, monkeypatch):
    from transfer import services

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals at 0xdeadbeef")

    monkeypatch.setattr(services, "import_items", boom)
    job = ImportJob.objects.create(
        owner=user, filename="d.csv", data=fixture("diigo_real_shapes.csv")
    )
    with pytest.raises(RuntimeError):
        run_import_job(job.pk)
    job.refresh_from_db()
    text = json.dumps(job.report) + job.error
    assert "secret internals" not in text and "Unexpected error" not in text
    assert "problem on our side" in text


@pytest.mark.parametrize(
    "cell", ["=cmd|' /C calc'!A0", "+HYPERLINK(1)", "-2+3", "@SUM(A1)", "'=already quoted"]
)
def test_diigo_csv_export_neutralizes_formulas_and_the_import_restores_them(user, other_user, cell):
    BookmarkFactory(owner=user, title=cell, description=cell, tags=["t"])
    out = "".join(exporters.write_diigo_csv(exporters.exportable_bookmarks(user)))
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'" + cell and row["description"] == "'" + cell
    import_items(other_user, importers.parse(out.encode()).items)
    back = Bookmark.objects.get(owner=other_user)
    assert (back.title, back.description) == (cell, cell)


def test_a_cell_starting_with_a_tab_or_cr_is_neutralized_too():
    assert exporters.neutralize_cell("\tx") == "'\tx"
    assert exporters.neutralize_cell("\rx") == "'\rx"
    assert exporters.neutralize_cell("'Tis the season") == "'Tis the season"
    assert importers.unneutralize_cell("'Tis the season") == "'Tis the season"

"""{% error_summary form %}: what went wrong with a posted form, at its top, one link per field.

Every form of the site shows its errors through this one tag (templates/accounts/
_error_summary.html): a list with role="alert" that static/js/app.js focuses on load, whose
links lead to each field by its id. Fields whose input a template writes by hand with another
id pass it by name: {% error_summary form body="reply-body-3" %}.
"""

from django import template

register = template.Library()


def _target_id(field, ids):
    """The id of the element a link should lead to: the input, or a radio list's first choice."""
    if field.name in ids:
        return ids[field.name]
    if field.is_hidden:
        return ""
    if field.id_for_label:
        return field.id_for_label
    # RadioSelect and CheckboxSelectMultiple label no single input: go to the first choice.
    return f"{field.auto_id}_0" if field.auto_id else ""


@register.inclusion_tag("accounts/_error_summary.html")
def error_summary(form, **ids):
    if form is None or not form.is_bound or not form.errors:
        return {"errors": None}
    errors = [
        {"message": message, "target": "", "label": ""} for message in form.non_field_errors()
    ]
    for field in form:
        for message in field.errors:
            errors.append(
                {"message": message, "target": _target_id(field, ids), "label": field.label}
            )
    return {"errors": errors, "summary_id": f"error-summary-{form.prefix or 'form'}"}

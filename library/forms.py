"""The save form (with the quote that becomes a first highlight) and a library's query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookmarks.forms import ME, BookmarkFieldsForm
from bookmarks.tags import MAX_TAGS, parse_tags
from bookmarks.urlnorm import InvalidURL, normalize_url

from .selectors import KINDS, SORTS, LibraryFilters

VIEWS = ("simple", "middle", "full")
PER_PAGE_CHOICES = (20, 50, 100)


class SaveForm(BookmarkFieldsForm):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=2048,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autofocus": True}),
    )
    destination = forms.ChoiceField(label=_("Save to"))
    quote = forms.CharField(required=False, max_length=5000, widget=forms.HiddenInput)
    prefix = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    field_order = ["url", "title", "description", "tags", "destination", "private", "unread"]

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["destination"].choices = [(ME, _("My library"))] + [
            (str(g.pk), g.name) for g in groups
        ]
        self.fields["destination"].widget.attrs["class"] = "destination-select"

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            normalize_url(url)
        except InvalidURL as exc:
            raise forms.ValidationError(str(exc)) from None
        return url.strip()

    def clean_destination(self):
        value = self.cleaned_data["destination"]
        return None if value == ME else self.groups[value]


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def library_params(query, *, allow_unread=False):
    """Filters, view, per-page and page number from a library's query string; bad values
    fall back to the defaults instead of failing."""
    tags = tuple(parse_tags([t for t in query.getlist("tag") if t])[:MAX_TAGS])
    kind = query.get("filter", "all")
    q = " ".join(query.get("q", "").split())[:200]
    # with a keyword the page is in relevance order unless asked otherwise (as on /search/)
    sort = query.get("sort") or ("relevance" if q else "date")
    filters = LibraryFilters(
        q=q,
        tags=tags,
        saved_by=query.get("user", "").strip()[:150],
        kind=kind if kind in KINDS else "all",
        sort=sort if sort in SORTS else "date",
        unread=allow_unread and query.get("unread") == "1",
    )
    view = query.get("view", "middle")
    per_page = _int(query.get("per_page"), PER_PAGE_CHOICES[0])
    return {
        "filters": filters,
        "view": view if view in VIEWS else "middle",
        "per_page": per_page if per_page in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0],
        "page": max(1, _int(query.get("page"), 1)),
    }

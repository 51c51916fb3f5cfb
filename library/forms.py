"""The save form (with the quote that becomes a first highlight) and a library's query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookmarks.forms import ME, BookmarkFieldsForm
from bookmarks.tags import MAX_TAGS, parse_tags
from bookmarks.urlnorm import InvalidURL, normalize_url

from .selectors import KINDS, SORTS, LibraryFilters

VIEWS = ("simple", "middle", "full")
MAX_QUOTE = 5000  # the bookmarklet's own cap
MAX_CONTEXT = 500
PER_PAGE_CHOICES = (20, 50, 100)


class SaveForm(BookmarkFieldsForm):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=2048,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autofocus": True}),
    )
    destination = forms.MultipleChoiceField(
        label=_("Save to"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "destination-choice"}),
        help_text=_("Tick several places to save one bookmark in each."),
    )
    quote = forms.CharField(
        label=_("Your selection becomes the first highlight"),
        required=False,
        max_length=MAX_QUOTE,
        widget=forms.Textarea(attrs={"rows": 4, "class": "quote-input"}),
    )
    # The selection's context: only used to find the passage again, so an over-long one is cut
    # to the part next to the quote rather than refused.
    prefix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    field_order = ["url", "title", "description", "tags", "destination", "private", "unread"]

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["destination"].choices = [(ME, _("My library"))] + [
            (str(g.pk), g.name) for g in groups
        ]
        self.fields["private"].help_text = _("Only in My library: not possible in a group.")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            normalize_url(url)
        except InvalidURL as exc:
            raise forms.ValidationError(str(exc)) from None
        return url.strip()

    def clean_destination(self):
        """[None (my library), Group, ...] in the order of the choices."""
        chosen = set(self.cleaned_data["destination"])
        return ([None] if ME in chosen else []) + [
            g for pk, g in self.groups.items() if pk in chosen
        ]

    def clean_prefix(self):
        return self.cleaned_data["prefix"][-MAX_CONTEXT:]

    def clean_suffix(self):
        return self.cleaned_data["suffix"][:MAX_CONTEXT]

    def clean(self):
        data = super().clean()
        groups = [g for g in data.get("destination") or () if g is not None]
        if data.get("private") and groups:
            self.add_error(
                "private",
                _(
                    "A private bookmark can only be saved in your own library: untick "
                    "Private or the groups (%(groups)s)."
                )
                % {"groups": ", ".join(g.name for g in groups)},
            )
        return data


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

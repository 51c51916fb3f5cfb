"""Forms of the saving, editing and tag pages, and the library's query-string parameters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import KINDS, SORTS, LibraryFilters
from .tags import MAX_TAG_LENGTH, MAX_TAGS, normalize_tag, parse_tags
from .urlnorm import InvalidURL, normalize_url

VIEWS = ("simple", "middle", "full")
PER_PAGE_CHOICES = (20, 50, 100)
ME = "me"


def clean_tag_text(value):
    """Tags typed as "a, b, c": refuse over-long tags and too many of them, with a message."""
    raw = value.split(",") if "," in value else value.split()
    if any(len(" ".join(t.split())) > MAX_TAG_LENGTH for t in raw):
        raise forms.ValidationError(
            _("A tag can be at most %(n)s characters long."), params={"n": MAX_TAG_LENGTH}
        )
    tags = parse_tags(value)
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(_("At most %(n)s tags."), params={"n": MAX_TAGS})
    return tags


class BookmarkFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=5000,
        help_text=_("Separated by commas, e.g. travail, plateformes, économie."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "tags-input"}),
    )
    private = forms.BooleanField(
        label=_("Private (only in my library, only for me)"), required=False
    )
    unread = forms.BooleanField(label=_("Read later"), required=False)

    def clean_tags(self):
        return clean_tag_text(self.cleaned_data["tags"])


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


class EditForm(BookmarkFieldsForm):
    pass


class CopyForm(forms.Form):
    group = forms.ChoiceField(label=_("Copy into"))

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["group"].choices = [(str(g.pk), g.name) for g in groups]

    def clean_group(self):
        return self.groups[self.cleaned_data["group"]]


class RenameTagForm(forms.Form):
    old = forms.CharField(label=_("Tag"), max_length=MAX_TAG_LENGTH)
    new = forms.CharField(
        label=_("New name"),
        max_length=MAX_TAG_LENGTH,
        help_text=_("If the new name is already a tag, the two are merged."),
    )

    def clean(self):
        data = super().clean()
        old, new = normalize_tag(data.get("old", "")), normalize_tag(data.get("new", ""))
        if old and new and old == new:
            raise forms.ValidationError(_("The new name is the same as the old one."))
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
    sort = query.get("sort", "date")
    filters = LibraryFilters(
        q=" ".join(query.get("q", "").split())[:200],
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

"""Forms of a bookmark's fields, its edit and copy pages, and the tag pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .tags import MAX_TAG_LENGTH, MAX_TAGS, normalize_tag, parse_tags

# the "Save to" and "Copy to" choice that means the user's own library
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


class EditForm(BookmarkFieldsForm):
    pass


class CopyForm(forms.Form):
    group = forms.ChoiceField(label=_("Copy into"))

    def __init__(self, *args, groups=(), personal=False, **kwargs):
        super().__init__(*args, **kwargs)
        # ME stands for "My library" (None once cleaned)
        self.groups = {**({ME: None} if personal else {}), **{str(g.pk): g for g in groups}}
        self.fields["group"].choices = [(ME, _("My library"))] * personal + [
            (str(g.pk), g.name) for g in groups
        ]

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

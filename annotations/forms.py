"""HTML forms for highlights, comments, topics, flags and bans; they only parse, services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Flag, Highlight


class HighlightForm(forms.Form):
    exact = forms.CharField(
        label=_("Passage"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Paste the passage from the page, exactly as it appears (up to 5,000 characters)."
        ),
    )
    prefix = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    suffix = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    color = forms.ChoiceField(
        label=_("Colour"),
        choices=Highlight.Color.choices,
        initial=Highlight.Color.YELLOW,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Markdown: **bold**, *italic*, [links](https://…)."),
    )


class HighlightEditForm(forms.Form):
    color = HighlightForm.base_fields["color"]
    note = HighlightForm.base_fields["note"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown: **bold**, *italic*, [links](https://…)."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    highlight = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, [links](https://…)."),
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Details for the moderators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the moderation log)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hide_posts = forms.BooleanField(
        label=_("Also hide everything they posted in this group"), required=False
    )

"""The mail settings form: one checkbox per kind, the global switch, the people digest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Digest, Kind


class MailSettingsForm(forms.Form):
    no_mail = forms.BooleanField(label=_("No mail at all"), required=False)
    mail_kinds = forms.MultipleChoiceField(
        label=_("Mail me about"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    people_digest = forms.ChoiceField(
        label=_("Digest of the people I follow"), choices=Digest.choices
    )


class GroupFollowForm(forms.Form):
    following = forms.BooleanField(label=_("Follow this group"), required=False)
    digest = forms.ChoiceField(label=_("Digest"), choices=Digest.choices)


class TagFollowForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=100)

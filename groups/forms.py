"""HTML forms of groups; they only validate input, services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Group, Membership
from .services import INVITATION_MAX_DAYS


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "description", "visibility", "join_policy"]
        widgets = {
            "visibility": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "visibility": _(
                "A private group is invisible to non-members: it is in no list and its pages "
                "do not exist for them."
            ),
        }


class GroupSettingsForm(GroupForm):
    class Meta(GroupForm.Meta):
        fields = [*GroupForm.Meta.fields, "hold_first_posts", "spam_sensitivity"]
        widgets = {**GroupForm.Meta.widgets, "spam_sensitivity": forms.RadioSelect}
        help_texts = {
            **GroupForm.Meta.help_texts,
            "spam_sensitivity": _(
                "How readily posts that look like spam wait for a moderator. Moderators' "
                "“spam” and “not spam” verdicts also teach the filter."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the choice (an older page, a script) keeps the group's.
        self.fields["spam_sensitivity"].required = False

    def clean_spam_sensitivity(self):
        return self.cleaned_data.get("spam_sensitivity") or self.instance.spam_sensitivity


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the admins (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    to = forms.CharField(
        label=_("Send it to (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "A username or an e-mail address: the link is sent to them and works once. "
            "Leave empty for a link you pass on yourself."
        ),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=INVITATION_MAX_DAYS, initial=7
    )
    max_uses = forms.IntegerField(
        label=_("Maximum number of uses"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("deny", "deny")])

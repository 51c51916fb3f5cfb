"""The moderation log read as sentences: its action codes turned into translated phrases."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# The log stores codes; people read these. A whole phrase per action (with the item as a noun
# phrase) lets a translation put the words in its own order.
ACTION_PHRASES = {
    "approve": gettext_lazy("approved %(item)s"),
    "hide": gettext_lazy("hid %(item)s"),
    "unhide": gettext_lazy("made %(item)s visible again"),
    "spam": gettext_lazy("marked %(item)s as spam"),
    "not_spam": gettext_lazy("marked %(item)s as not spam"),
    "delete": gettext_lazy("deleted %(item)s"),
    "dismiss": gettext_lazy("dismissed the flags on %(item)s"),
    "hold": gettext_lazy("held %(item)s for review"),
    "ban": gettext_lazy("banned %(item)s"),
    "ban_hide_posts": gettext_lazy("banned %(item)s and hid their posts"),
}
# ban_member writes this after the reason when it also hid the member's posts.
POSTS_HIDDEN_MARK = " (posts hidden)"
TARGET_NOUNS = {
    "comment": pgettext_lazy("moderation log", "a comment"),
    "highlight": pgettext_lazy("moderation log", "a highlight"),
    "topic": pgettext_lazy("moderation log", "a topic"),
    "bookmark": pgettext_lazy("moderation log", "a bookmark"),
    "user": pgettext_lazy("moderation log", "a member"),
}


def describe_entry(entry):
    """(phrase, detail) of a ModerationLog row, in the reader's language ("hid a comment")."""
    action, detail = entry.action, entry.detail
    if action == "ban" and detail.endswith(POSTS_HIDDEN_MARK.strip()):
        action, detail = "ban_hide_posts", detail.removesuffix(POSTS_HIDDEN_MARK.strip()).strip()
    return action_phrase(action, entry.target_type), detail


def action_phrase(action, target_type):
    item = TARGET_NOUNS.get(target_type, pgettext_lazy("moderation log", "an item"))
    phrase = ACTION_PHRASES.get(action)
    if phrase is None:
        # A code written by an older or newer version: still a sentence, code kept visible.
        return _("did “%(action)s” to %(item)s") % {"action": action, "item": item}
    return phrase % {"item": item}

"""What a group's moderators do to its content and members, each act written to ModerationLog."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookmarks.models import Bookmark
from bookmarks.services import forget_tag_counts
from groups.models import Ban, Membership, Topic
from groups.permissions import ROLE_RANK
from groups.selectors import role_of
from notifications.services import withdraw, withdraw_posts_of

from . import spam
from .log_phrases import POSTS_HIDDEN_MARK
from .models import Comment, Flag, Highlight, ModerationLog, Status
from .rules import may_moderate
from .services import announce_post, count_post, record_spam_label, remove_comment, target_group

# kind in URLs and forms → model
KINDS = {"comment": Comment, "highlight": Highlight, "topic": Topic, "bookmark": Bookmark}
ACTIONS = ("approve", "hide", "unhide", "spam", "not_spam", "delete", "dismiss")


def _require_moderator(actor, group):
    if not may_moderate(actor, group):
        raise PermissionDenied(_("Only the group's moderators can do this."))


def _describe(item):
    if isinstance(item, Bookmark):
        return item.title[:200] or item.page.url[:200]
    if isinstance(item, Topic):
        return item.title[:200]
    if isinstance(item, Highlight):
        return (item.note or item.exact)[:200]
    return item.body[:200]


def log_action(actor, group, action, target, detail=""):
    return ModerationLog.objects.create(
        group=group,
        actor=actor,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=target.pk,
        target_repr=_describe(target) if not hasattr(target, "username") else target.username,
        detail=detail,
    )


def item_group(item):
    return target_group(**{type(item).__name__.lower(): item})


def _resolve_flags(actor, item):
    kind = type(item).__name__.lower()
    Flag.objects.filter(resolved_at__isnull=True, **{kind: item}).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


@transaction.atomic
def moderate(actor, item, action, detail=""):
    """Apply a moderator's `action` to a comment, highlight, topic or bookmark of their group.

    approve / unhide / not_spam make it visible; hide / spam take it out of sight (spam also
    marks its text so copies are held); delete removes it; dismiss closes its flags. A
    bookmark is kept (dismiss), hidden, unhidden (Bookmark.hidden) or deleted.
    """
    if action not in ACTIONS:
        raise ValidationError(_("Unknown moderation action."))
    group = item_group(item)
    if group is None:
        # A personal library's only moderator is its owner, for comments left on their items.
        if not (
            isinstance(item, Comment)
            and item.bookmark_id
            and actor is not None
            and item.bookmark.owner_id == actor.pk
        ):
            raise PermissionDenied(_("Only the owner of this item can moderate it."))
    else:
        _require_moderator(actor, group)
    if isinstance(item, Bookmark):
        # A saved page has no held state: it is kept, hidden (with everything on it), shown
        # again or deleted.
        if action not in ("dismiss", "delete", "hide", "unhide"):
            raise ValidationError(_("A bookmark can only be kept, hidden, shown again or deleted."))
        log_action(actor, group, action, item, detail)
        _resolve_flags(actor, item)
        if action == "delete":
            withdraw("bookmark", [item.pk])
            item.delete()
        elif action in ("hide", "unhide"):
            item.hidden = action == "hide"
            item.save(update_fields=["hidden"])
            forget_tag_counts(group=group)
            if item.hidden:
                withdraw("bookmark", [item.pk])
        return item
    was_held = item.status == Status.HELD
    # What moderators say about a post's text trains the next spam model: an approved held
    # post is as much a "not spam" as the button.
    if action in ("spam", "not_spam") or (action == "approve" and was_held):
        record_spam_label(
            actor=actor, group=group, item=item, is_spam=action == "spam", action=action
        )
    if action in ("approve", "unhide", "not_spam"):
        item.status = Status.VISIBLE
        if action == "not_spam":
            item.spam_score = 0
        item.save(update_fields=["status", "spam_score"])
        if was_held:
            count_post(item.author, group)
        # Now visible: whoever it replies to or mentions hears of it (once, held or not).
        announce_post(item)
    elif action in ("hide", "spam"):
        item.status = Status.HIDDEN
        if action == "spam":
            item.spam_score = max(item.spam_score, spam.MARKED_SPAM_SCORE)
        item.save(update_fields=["status", "spam_score"])
        withdraw(type(item).__name__.lower(), [item.pk])
    log_action(actor, group, action, item, detail)
    _resolve_flags(actor, item)
    if action == "delete":
        if isinstance(item, Comment):
            remove_comment(item)
        else:
            withdraw(type(item).__name__.lower(), [item.pk])
            item.delete()
    return item


@transaction.atomic
def ban_member(actor, group, user, reason="", *, hide_posts=False):
    """Remove `user` from `group` and keep them out (joining refuses a banned user).

    A moderator bans members; an admin also moderators; the owner anyone but themself.
    """
    _require_moderator(actor, group)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot ban yourself."))
    actor_role = role_of(actor, group)
    target_role = role_of(user, group)
    if target_role is not None and ROLE_RANK[target_role] >= ROLE_RANK[actor_role]:
        raise PermissionDenied(_("You cannot ban a member whose role is equal to or above yours."))
    ban, created = Ban.objects.get_or_create(
        group=group, user=user, defaults={"banned_by": actor, "reason": (reason or "")[:1000]}
    )
    Membership.objects.filter(group=group, user=user).delete()
    if hide_posts:
        in_group = {"bookmark__group": group}
        Comment.objects.filter(author=user, **in_group).update(status=Status.HIDDEN)
        Comment.objects.filter(author=user, topic__group=group).update(status=Status.HIDDEN)
        Highlight.objects.filter(author=user, **in_group).update(status=Status.HIDDEN)
        Topic.objects.filter(author=user, group=group).update(status=Topic.Status.HIDDEN)
        # their saves too, with everyone's highlights and comments on them (bookmarks.selectors)
        saves = Bookmark.objects.filter(owner=user, group=group)
        withdraw("bookmark", saves.values_list("pk", flat=True))
        saves.update(hidden=True)
        forget_tag_counts(group=group)
        withdraw_posts_of(user, group)
    detail = (reason or "") + (POSTS_HIDDEN_MARK if hide_posts else "")
    log_action(actor, group, "ban", user, detail)
    return ban

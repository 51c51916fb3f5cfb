"""Every write to highlights, comments, topics and flags: permission, validation, spam."""

import dataclasses
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bookmarks.models import Bookmark, Page
from config.queue import enqueue
from groups import permissions
from groups.models import Group, Membership, Topic
from groups.selectors import is_banned, readable_groups, role_of
from notifications.models import Kind
from notifications.selectors import group_unfollowers
from notifications.services import notify, withdraw

from . import spam
from .anchoring import anchor_state, apply_anchor
from .markdown import render_markdown
from .mentions import find_mentions, link_mentions
from .models import Comment, Flag, Highlight, ModerationLog, SpamLabel, Status
from .ratelimit import check_post_rate
from .rules import authenticated, can_see_bookmark, may_comment, may_highlight, may_moderate
from .spam_selectors import label_count, spam_context, training_labels

logger = logging.getLogger(__name__)

MAX_QUOTE = 5000
MAX_CONTEXT = 500
MAX_COMMENT = 10000
MAX_TITLE = 300
MAX_TOPIC_BODY = 20000


# --- who may (the rules themselves live in rules.py) ---------------------------------------
def _require_visible_bookmark(user, bookmark):
    if not can_see_bookmark(user, bookmark):
        raise PermissionDenied(_("You cannot see this item."))


def _require_post_in_group(user, group):
    if not authenticated(user) or not permissions.can(role_of(user, group), "post", group):
        raise PermissionDenied(_("Only members of this group can post here."))


# --- spam and first posts ----------------------------------------------------------------
def current_spam_model() -> spam.TextModel | None:
    """The last retrained model, else the one committed with the code."""
    return spam.load_model(settings.SPAM_MODEL_PATH) or spam.load_model(spam.DEFAULT_MODEL_PATH)


def spam_threshold(group: Group | None) -> float:
    if group is None:
        return spam.THRESHOLD
    return spam.THRESHOLDS.get(group.spam_sensitivity, spam.THRESHOLD)


def judge_post(*, author: User, group: Group | None, text: str, with_context: bool = True):
    """The verdict on a post, whichever way it arrives (form, API, import): its text, the
    model, the group's threshold and, for a new post, its author's context."""
    context = None
    if with_context and author is not None and getattr(author, "pk", None):
        context = spam_context(author=author, text=text, group=group)
    return spam.judge(
        text, context=context, model=current_spam_model(), threshold=spam_threshold(group)
    )


def _initial_status(user, group, text):
    """(status, score, why): held when the post scores as spam, or when the group holds a new
    member's first post and this member has no approved post yet; `why` says so for the log."""
    verdict = judge_post(author=user, group=group, text=text)
    if verdict.is_spam:
        logger.info("held post by %s: %s", user.pk, verdict.explain())
        return Status.HELD, verdict.score, verdict.explain()
    if group is not None and group.hold_first_posts:
        membership = Membership.objects.filter(group=group, user=user).first()
        # The group's moderators are trusted: it is their queue the post would land in.
        if (
            membership is not None
            and membership.post_count == 0
            and not permissions.can(membership.role, "moderate", group)
        ):
            return Status.HELD, verdict.score, "first post of a new member"
    return Status.VISIBLE, verdict.score, ""


def _recheck_edit(item, text, group, held_status):
    """An edit can smuggle links into an approved post: score the new text and hold it again."""
    verdict = judge_post(author=None, group=group, text=text)
    item.spam_score = verdict.score
    if verdict.is_spam and item.status == Status.VISIBLE:
        item.status = held_status
        log_hold(group, item, text, verdict.explain())


def log_hold(group: Group | None, item: object, text: str, why: str):
    """The moderation log's "held for review" row (no actor: the spam filter held it)."""
    ModerationLog.objects.create(
        group=group,
        actor=None,
        action="hold",
        target_type=type(item).__name__.lower(),
        target_id=item.pk,
        target_repr=(text or "")[:200],
        detail=why,
    )


def post_text(item: object) -> str:
    """The text of a comment, highlight note or topic that spam scoring and labels read."""
    if isinstance(item, Topic):
        return f"{item.title}\n{item.body}"
    if isinstance(item, Highlight):
        return item.note
    return item.body


def record_spam_label(
    *, actor: User, group: Group | None, item: object, is_spam: bool, action: str
) -> None:
    """Keep a moderator's verdict as training data for the next spam_train."""
    text = post_text(item).strip()
    if text:
        SpamLabel.objects.create(
            text=text,
            is_spam=is_spam,
            group=group,
            labelled_by=actor,
            action=action,
            target_type=type(item).__name__.lower(),
            target_id=item.pk,
        )


def train_spam_model(*, output: Path, include_labels: bool = True) -> spam.TextModel:
    """Train on the shipped examples and the moderators' labels; write the model to `output`
    (atomically: a process reading it meanwhile sees the old model or the new one)."""
    labels = training_labels() if include_labels else []
    model = spam.train(spam.shipped_examples(), labels=labels)
    model = dataclasses.replace(model, labels=label_count() if include_labels else 0)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".spam_model.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(model.to_json())
    os.replace(tmp, output)
    return model


def retrain_spam_model_if_due() -> spam.TextModel | None:
    """Retrain when SPAM_RETRAIN_MIN_LABELS labels arrived since the current model was made."""
    current = current_spam_model()
    new_labels = label_count() - (current.labels if current else 0)
    if new_labels < settings.SPAM_RETRAIN_MIN_LABELS:
        return None
    return train_spam_model(output=settings.SPAM_MODEL_PATH)


def count_post(user: User, group: Group | None):
    """One more approved post for the member (the first-post rule reads this)."""
    if group is not None and user is not None:
        Membership.objects.filter(group=group, user=user).update(post_count=F("post_count") + 1)


# --- notifications: who hears of a post ----------------------------------------------------
def _mention_readers(text, group, bookmark):
    """{username: user id} of the people mentioned in `text` who may read the item: only they
    become links, and only they are told."""
    names = find_mentions(text)
    if not names:
        return {}
    users = User.objects.filter(username__in=names, is_active=True)
    if group is not None and not group.is_public:
        users = users.filter(memberships__group=group)
    elif group is None and bookmark is not None and bookmark.private:
        users = users.filter(pk=bookmark.owner_id)
    return dict(users.values_list("username", "pk"))


def render_post(text: str, group: Group | None, bookmark: Bookmark | None = None) -> str:
    """Markdown → safe HTML with the mentions of readers linked to their profiles."""
    return link_mentions(render_markdown(text), set(_mention_readers(text, group, bookmark)))


def _bookmark_subject(bookmark):
    return bookmark.title or bookmark.page.url


def _moderator_ids(group):
    roles = [Membership.Role.MODERATOR, Membership.Role.ADMIN, Membership.Role.OWNER]
    return Membership.objects.filter(group=group, role__in=roles).values_list("user_id", flat=True)


def _where(item):
    """(url, subject, about, group, bookmark) of a comment, highlight or topic."""
    if isinstance(item, Topic):
        url = reverse("annotations:topic", args=[item.group.slug, item.pk])
        return url, item.title, f"topic:{item.pk}", item.group, None
    if isinstance(item, Highlight):
        bookmark = item.bookmark
        url = reverse("library:detail", args=[bookmark.pk]) + f"#highlight-{item.pk}"
        return url, _bookmark_subject(bookmark), f"bookmark:{bookmark.pk}", bookmark.group, bookmark
    if item.topic_id:
        topic = item.topic
        url = reverse("annotations:topic", args=[topic.group.slug, topic.pk])
        return f"{url}#comment-{item.pk}", topic.title, f"topic:{topic.pk}", topic.group, None
    bookmark = item.bookmark
    url = reverse("library:detail", args=[bookmark.pk]) + f"#comment-{item.pk}"
    return url, _bookmark_subject(bookmark), f"bookmark:{bookmark.pk}", bookmark.group, bookmark


def announce_post(item: Comment | Highlight | Topic) -> int:
    """Tell who should hear of a visible post: the author replied to, the saver of the item,
    the people mentioned, a followed group's members for a topic. Safe to call again (an
    approved held post, an edit that adds a mention): nobody hears of one post twice."""
    if item.status != Status.VISIBLE:
        return 0
    url, subject, about, group, bookmark = _where(item)
    text = post_text(item)
    recipients = [(uid, Kind.MENTION) for uid in _mention_readers(text, group, bookmark).values()]
    kind = type(item).__name__.lower()
    if isinstance(item, Topic):
        members = Membership.objects.filter(group=group).exclude(
            user_id__in=group_unfollowers(group)
        )
        recipients += [(uid, Kind.TOPIC) for uid in members.values_list("user_id", flat=True)]
    elif isinstance(item, Highlight):
        if not item.note:
            return 0
        recipients.append((bookmark.owner_id, Kind.NOTE))
    else:
        if item.parent_id:
            recipients.append((item.parent.author_id, Kind.REPLY))
        if item.topic_id:
            recipients.append((item.topic.author_id, Kind.REPLY))
        else:
            if item.highlight_id:
                recipients.append((item.highlight.author_id, Kind.REPLY))
            recipients.append((bookmark.owner_id, Kind.NOTE if item.highlight_id else Kind.COMMENT))
    if group is None and bookmark is not None and bookmark.private:
        recipients = [(uid, k) for uid, k in recipients if uid == bookmark.owner_id]
    return notify(
        f"{kind}:{item.pk}",
        recipients=recipients,
        actor=item.author,
        group=group,
        url=url,
        subject=subject,
        target=(kind, item.pk),
        about=about if not isinstance(item, Topic) else "",
    )


def announce_held(item: Comment | Highlight | Topic) -> int:
    """A held post waits in the group's queue: its moderators hear of it (nobody else)."""
    url, _subject, about, group, _bookmark = _where(item)
    if group is None:
        return 0
    kind = type(item).__name__.lower()
    return notify(
        f"held:{kind}:{item.pk}",
        recipients=[(uid, Kind.HELD) for uid in _moderator_ids(group)],
        actor=item.author,
        group=group,
        url=reverse("annotations:moderation_queue", args=[group.slug]),
        subject=post_text(item)[:200],
        target=(kind, item.pk),
        about=about if not isinstance(item, Topic) else "",
    )


def _announce(item):
    """After a new post: its readers hear of it, or its moderators when it is held."""
    if item.status == Status.VISIBLE:
        announce_post(item)
    elif item.status == Status.HELD:
        announce_held(item)


# --- highlights --------------------------------------------------------------------------
def _clean_highlight_fields(exact, prefix, suffix, start, end, color, note):
    errors = {}
    exact = (exact or "").strip()
    if not exact:
        errors["exact"] = _("Paste the passage you want to highlight.")
    elif len(exact) > MAX_QUOTE:
        errors["exact"] = _("A highlight is at most %(max)s characters.") % {"max": MAX_QUOTE}
    # Context only helps find the quote again: keep the part nearest to it.
    prefix = (prefix or "")[-MAX_CONTEXT:]
    suffix = (suffix or "")[:MAX_CONTEXT]
    for name, value in (("start", start), ("end", end)):
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = _("Offsets are whole numbers from 0.")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        errors["end"] = _("The end offset comes before the start.")
    if color not in Highlight.Color.values:
        errors["color"] = _("Choose one of the highlight colours.")
    note = (note or "").strip()
    if len(note) > MAX_COMMENT:
        errors["note"] = _("A note is at most %(max)s characters.") % {"max": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    return exact, prefix, suffix, note


def queue_snapshot(highlight_id: int) -> None:
    """Ask the worker to anchor and snapshot the passage; a missing broker must not break
    saving (the highlight stays "pending" and the page's next fetch re-anchors it)."""
    enqueue("annotations.tasks.snapshot_highlight", highlight_id)


def reanchor_after_fetch(page_id: int, *, text_changed: bool = True) -> None:
    """Queue the re-anchoring of a fetched page's highlights: all of them when its text
    changed, else only those still waiting for a text."""
    highlights = Highlight.objects.filter(bookmark__page_id=page_id)
    if not text_changed:
        highlights = highlights.filter(anchor_status=Highlight.AnchorStatus.PENDING)
    if highlights.exists():
        queue_page_snapshots([page_id])


def queue_page_snapshots(page_ids: list[int]) -> None:
    """Re-anchor the highlights of these pages in the worker (after an import or a fetch)."""
    for page_id in page_ids:
        enqueue("annotations.tasks.snapshot_page_highlights", page_id)


@transaction.atomic
def create_highlight(
    user: User,
    bookmark: Bookmark,
    *,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    color: str = "yellow",
    note: str = "",
):
    _require_visible_bookmark(user, bookmark)
    if not may_highlight(user, bookmark):
        raise PermissionDenied(_("You cannot highlight this item."))
    exact, prefix, suffix, note = _clean_highlight_fields(
        exact, prefix, suffix, start, end, color, note
    )
    status, score, why = Status.VISIBLE, 0.0, ""
    if note:
        # only a highlight with a note speaks to others, so only those count as posts
        check_post_rate(user)
        status, score, why = _initial_status(user, bookmark.group, note)
    highlight = Highlight.objects.create(
        bookmark=bookmark,
        author=user,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        color=color,
        note=note,
        note_html=render_post(note, bookmark.group, bookmark),
        status=status,
        spam_score=score,
    )
    if note and status == Status.VISIBLE:
        count_post(user, bookmark.group)
    elif status == Status.HELD:
        log_hold(bookmark.group, highlight, note, why)
    if note:
        _announce(highlight)
    transaction.on_commit(lambda: queue_snapshot(highlight.pk))
    return highlight


def _require_author(user, obj, group):
    """Only the author edits, and only while they may still post there (not after a ban)."""
    if not authenticated(user) or obj.author_id != user.pk:
        raise PermissionDenied(_("Only its author can change this."))
    if group is not None:
        _require_post_in_group(user, group)


@transaction.atomic
def update_highlight(user: User, highlight: Highlight, **fields):
    """The author changes the colour or the note (the quote and its selectors stay)."""
    _require_author(user, highlight, highlight.bookmark.group)
    allowed = {"color", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    color = fields.get("color", highlight.color)
    note = fields.get("note", highlight.note)
    note = _clean_highlight_fields(
        highlight.exact, "", "", highlight.start, highlight.end, color, note
    )[3]
    if note != highlight.note:
        highlight.note = note
        highlight.note_html = render_post(note, highlight.bookmark.group, highlight.bookmark)
        if note:
            _recheck_edit(highlight, note, highlight.bookmark.group, Status.HELD)
    highlight.color = color
    highlight.save()
    if highlight.status != Status.VISIBLE:
        withdraw("highlight", [highlight.pk])
    elif highlight.note:
        announce_post(highlight)
    return highlight


@transaction.atomic
def delete_highlight(user: User, highlight: Highlight):
    """Its author (unless banned from the group: a ban freezes what they wrote there, for the
    moderators to judge), or a moderator of its group (who goes through annotations.moderation)."""
    group = highlight.bookmark.group
    if not (
        authenticated(user)
        and (
            (highlight.author_id == user.pk and not is_banned(user, group))
            or may_moderate(user, group)
        )
    ):
        raise PermissionDenied(_("You cannot delete this highlight."))
    withdraw("highlight", [highlight.pk])
    withdraw("comment", highlight.comments.values_list("pk", flat=True))
    highlight.delete()


# --- comments ----------------------------------------------------------------------------
def _clean_body(body, max_length=MAX_COMMENT, field="body"):
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: _("Write something first.")})
    if len(body) > max_length:
        raise ValidationError(
            {field: _("This is at most %(max)s characters.") % {"max": max_length}}
        )
    return body


def _visible_status_for(user, obj):
    return obj.status == Status.VISIBLE or (
        obj.status == Status.HELD and authenticated(user) and obj.author_id == user.pk
    )


@transaction.atomic
def post_comment(
    user: User,
    *,
    body: str,
    bookmark: Bookmark = None,
    highlight: Highlight = None,
    topic: Topic = None,
    parent: Comment | None = None,
):
    """A comment on a bookmark, a highlight (sticky note) or a topic, or a reply to `parent`.

    Comes back with status "held" when it scores as spam or is a held first post.
    """
    if not authenticated(user):
        raise PermissionDenied(_("Log in to comment."))
    if parent is not None:
        if parent.is_deleted or not _visible_status_for(user, parent):
            raise PermissionDenied(_("You cannot reply to this comment."))
        bookmark, highlight, topic = parent.bookmark, parent.highlight, parent.topic
    if highlight is not None:
        if not _visible_status_for(user, highlight):
            raise PermissionDenied(_("You cannot see this highlight."))
        bookmark = highlight.bookmark
    if (bookmark is None) == (topic is None):
        raise ValidationError(_("A comment is on a bookmark or on a topic."))

    if topic is not None:
        group = topic.group
        if not readable_groups(user).filter(pk=group.pk).exists():
            raise PermissionDenied(_("You cannot see this topic."))
        if not _visible_status_for(user, topic):
            raise PermissionDenied(_("You cannot see this topic."))
        _require_post_in_group(user, group)
    else:
        group = bookmark.group
        _require_visible_bookmark(user, bookmark)
        if not may_comment(user, bookmark):
            raise PermissionDenied(_("You cannot comment on this item."))

    body = _clean_body(body)
    check_post_rate(user)
    status, score, why = _initial_status(user, group, body)
    comment = Comment.objects.create(
        bookmark=bookmark,
        highlight=highlight,
        topic=topic,
        parent=parent,
        author=user,
        body=body,
        body_html=render_post(body, group, bookmark),
        status=status,
        spam_score=score,
    )
    if status == Status.VISIBLE:
        count_post(user, group)
    else:
        log_hold(group, comment, body, why)
    _announce(comment)
    return comment


def comment_group(comment: Comment):
    if comment.topic_id:
        return comment.topic.group
    return comment.bookmark.group if comment.bookmark_id else None


@transaction.atomic
def edit_comment(user: User, comment: Comment, body: str):
    _require_author(user, comment, comment_group(comment))
    if comment.is_deleted:
        raise PermissionDenied(_("This comment was deleted."))
    body = _clean_body(body)
    if body == comment.body:
        return comment
    comment.body = body
    comment.body_html = render_post(body, comment_group(comment), comment.bookmark)
    comment.edited_at = timezone.now()
    _recheck_edit(comment, body, comment_group(comment), Status.HELD)
    comment.save()
    if comment.status != Status.VISIBLE:
        withdraw("comment", [comment.pk])
    else:
        announce_post(comment)  # someone newly mentioned hears of it
    return comment


def may_delete_comment(user: User, comment: Comment):
    if not authenticated(user):
        return False
    group = comment_group(comment)
    if comment.author_id == user.pk:
        return not is_banned(user, group)
    if group is not None:
        return may_moderate(user, group)
    # On a personal item, its owner keeps their page clean.
    return comment.bookmark_id is not None and comment.bookmark.owner_id == user.pk


@transaction.atomic
def delete_comment(user: User, comment: Comment):
    """Delete it; with replies, it stays in the thread as "comment deleted"."""
    if not may_delete_comment(user, comment):
        raise PermissionDenied(_("You cannot delete this comment."))
    remove_comment(comment)


def _thread_ids(comment):
    """The comment and every reply below it (deleting it deletes them)."""
    ids, frontier = [comment.pk], [comment.pk]
    while frontier:
        frontier = list(Comment.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def remove_comment(comment: Comment):
    """Delete a comment (no permission check: callers did it), keeping threads whole."""
    withdraw("comment", _thread_ids(comment))
    parent_id = comment.parent_id
    if comment.replies.exists():
        Comment.objects.filter(pk=comment.pk).update(is_deleted=True, body="", body_html="")
        comment.is_deleted, comment.body, comment.body_html = True, "", ""
        return
    comment.delete()
    # A deleted parent left only for this reply has nothing left to hold together.
    while parent_id:
        parent = Comment.objects.filter(pk=parent_id, is_deleted=True).first()
        if parent is None or parent.replies.exists():
            break
        parent_id = parent.parent_id
        parent.delete()


# --- topics ------------------------------------------------------------------------------
def _clean_topic(title, body):
    errors = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = _("A topic needs a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("A title is at most %(max)s characters.") % {"max": MAX_TITLE}
    if len(body) > MAX_TOPIC_BODY:
        errors["body"] = _("The text is at most %(max)s characters.") % {"max": MAX_TOPIC_BODY}
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def create_topic(user: User, group: Group | None, *, title: str, body: str):
    _require_post_in_group(user, group)
    title, body = _clean_topic(title, body)
    check_post_rate(user)
    status, score, why = _initial_status(user, group, f"{title}\n{body}")
    topic = Topic.objects.create(
        group=group,
        author=user,
        title=title,
        body=body,
        body_html=render_post(body, group),
        status=status,
        spam_score=score,
    )
    if status == Status.VISIBLE:
        count_post(user, group)
    else:
        log_hold(group, topic, title, why)
    _announce(topic)
    return topic


@transaction.atomic
def edit_topic(user: User, topic: Topic, **fields):
    _require_author(user, topic, topic.group)
    unknown = set(fields) - {"title", "body"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    title, body = _clean_topic(fields.get("title", topic.title), fields.get("body", topic.body))
    if (title, body) == (topic.title, topic.body):
        return topic
    topic.title, topic.body = title, body
    topic.body_html = render_post(body, topic.group)
    topic.edited_at = timezone.now()
    _recheck_edit(topic, f"{title}\n{body}", topic.group, Topic.Status.HELD)
    topic.save()
    if topic.status != Status.VISIBLE:
        withdraw("topic", [topic.pk])
    else:
        announce_post(topic)
    return topic


@transaction.atomic
def delete_topic(user: User, topic: Topic):
    if not (
        authenticated(user)
        and (
            (topic.author_id == user.pk and not is_banned(user, topic.group))
            or may_moderate(user, topic.group)
        )
    ):
        raise PermissionDenied(_("You cannot delete this topic."))
    withdraw("topic", [topic.pk])
    topic.delete()


# --- flags -------------------------------------------------------------------------------
def target_group(
    *,
    comment: Comment = None,
    highlight: Highlight = None,
    topic: Topic = None,
    bookmark: Bookmark = None,
):
    if comment is not None:
        return comment_group(comment)
    if highlight is not None:
        return highlight.bookmark.group
    if topic is not None:
        return topic.group
    return bookmark.group


@transaction.atomic
def flag_item(
    user: User,
    *,
    reason: str,
    detail: str = "",
    comment: Comment = None,
    highlight: Highlight = None,
    topic: Topic = None,
    bookmark: Bookmark = None,
):
    """A member reports an item to the group's moderators (one open flag per person and item)."""
    targets = {"comment": comment, "highlight": highlight, "topic": topic, "bookmark": bookmark}
    chosen = {k: v for k, v in targets.items() if v is not None}
    if len(chosen) != 1:
        raise ValidationError(_("Flag exactly one item."))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    detail = (detail or "").strip()[:1000]
    if not authenticated(user):
        raise PermissionDenied(_("Log in to flag."))
    group = target_group(**targets)
    if group is not None:
        if not permissions.can(role_of(user, group), "flag", group):
            raise PermissionDenied(_("Only members of this group can flag its content."))
    else:
        subject = bookmark or (highlight.bookmark if highlight else comment.bookmark)
        _require_visible_bookmark(user, subject)
    flag, created = Flag.objects.get_or_create(
        flagged_by=user,
        resolved_at=None,
        **chosen,
        defaults={"group": group, "reason": reason, "detail": detail},
    )
    if not created:
        flag.reason, flag.detail = reason, detail
        flag.save(update_fields=["reason", "detail"])
    elif group is not None:
        ((kind, item),) = chosen.items()
        notify(
            f"flag:{flag.pk}",
            recipients=[(uid, Kind.FLAG) for uid in _moderator_ids(group)],
            actor=user,
            group=group,
            url=reverse("annotations:moderation_queue", args=[group.slug]),
            subject=(_bookmark_subject(item) if kind == "bookmark" else post_text(item))[:200],
            target=(kind, item.pk),
        )
    return flag


# --- anchoring: where each highlight sits in its page's text ---------------------------------

ANCHOR_FIELDS = ["start", "end", "anchor_status", "snapshot", "anchored_at"]


def reanchor_page(page_id: int) -> dict[str, int]:
    """Re-anchor every highlight of every bookmark of a fetched page; {status: count}."""
    page = Page.objects.filter(pk=page_id).only("text", "fetch_status").first()
    if page is None or not page.text:
        return {}
    now = timezone.now()
    counts = {}
    with transaction.atomic():
        highlights = list(
            Highlight.objects.select_for_update()
            .filter(bookmark__page_id=page_id)
            .only(
                "id",
                "exact",
                "prefix",
                "suffix",
                "start",
                "end",
                "snapshot",
                "anchor_status",
                "anchored_at",
            )
        )
        moved = []
        for highlight in highlights:
            before = anchor_state(highlight)
            apply_anchor(highlight, page.text, now)
            counts[highlight.anchor_status] = counts.get(highlight.anchor_status, 0) + 1
            if anchor_state(highlight) != before:
                moved.append(highlight)
        # Only rows whose place changed are written: anchored_at is when the highlight was
        # last placed, and a page that did not change costs one read.
        Highlight.objects.bulk_update(moved, ANCHOR_FIELDS, batch_size=500)
    return counts


def anchor_highlight(highlight_id: int) -> str | None:
    """Anchor one (new) highlight; it stays pending while its page has no text yet."""
    with transaction.atomic():
        highlight = (
            Highlight.objects.select_for_update(of=("self",))
            .select_related("bookmark__page")
            .filter(pk=highlight_id)
            .first()
        )
        if highlight is None:
            return None
        text = highlight.bookmark.page.text
        if not text:
            if not highlight.snapshot:
                highlight.snapshot = f"{highlight.prefix}{highlight.exact}{highlight.suffix}"
                highlight.save(update_fields=["snapshot"])
            return highlight.anchor_status
        apply_anchor(highlight, text, timezone.now())
        highlight.save(update_fields=ANCHOR_FIELDS)
        return highlight.anchor_status

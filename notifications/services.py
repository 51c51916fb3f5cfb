"""Every write of notifications: notify(...) for the services of every app, reading, mail
choices and follows.

notify() runs inside the caller's transaction: the notification exists exactly when the change
it is about was committed, and its mail is queued only after that commit.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.locks import redis_client
from config.queue import enqueue, enqueue_later
from groups.models import Group, Membership

from .models import (
    IMMEDIATE_KINDS,
    Digest,
    GroupFollow,
    Kind,
    MailSettings,
    Notification,
    TagFollow,
    UserFollow,
)
from .selectors import mail_blocked

# When one event concerns someone in several ways, the first of these names it: a reply that
# also mentions me is a reply.
PRIORITY = [
    Kind.REPLY,
    Kind.MENTION,
    Kind.COMMENT,
    Kind.NOTE,
    Kind.TOPIC,
    Kind.HELD,
    Kind.FLAG,
    Kind.JOIN_REQUEST,
    Kind.REQUEST_APPROVED,
    Kind.REQUEST_DENIED,
    Kind.INVITATION,
]
MAIL_TASK = "notifications.tasks.send_notification_mail"


def strongest_kinds(recipients: Iterable[tuple[int, str]]) -> dict[int, str]:
    """{user id: kind} keeping, for each person, the kind that comes first in PRIORITY."""
    chosen = {}
    for user_id, kind in recipients:
        if user_id is None:
            continue
        if user_id not in chosen or PRIORITY.index(kind) < PRIORITY.index(chosen[user_id]):
            chosen[user_id] = kind
    return chosen


def _readers_of(group, user_ids):
    """Those of user_ids who may read the group (anyone for a public group)."""
    active = User.objects.filter(pk__in=user_ids, is_active=True)
    if group is not None and not group.is_public:
        active = active.filter(memberships__group=group)
    return set(active.values_list("pk", flat=True))


def notify(
    event: str,
    *,
    recipients: Iterable[tuple[int, str]],
    actor: User | None,
    group: Group | None,
    url: str,
    subject: str = "",
    target: tuple[str, int] | None = None,
    about: str = "",
) -> int:
    """Tell each recipient about one event (e.g. "comment:42"); returns how many were told.

    `recipients` are (user id, kind) pairs, several per person allowed: each hears of the
    event once, by its strongest kind. The actor is never told of their own act, nobody who
    may not read the group is told, and a second call for the same event tells nobody again.
    The callers decide who may see the item itself (a held comment notifies nobody).
    """
    kinds = strongest_kinds(recipients)
    if actor is not None:
        kinds.pop(actor.pk, None)
    if not kinds:
        return 0
    allowed = _readers_of(group, list(kinds))
    kinds = {uid: kind for uid, kind in kinds.items() if uid in allowed}
    target_type, target_id = target or ("", None)
    rows = []
    for kind in set(kinds.values()):
        ids = [uid for uid, k in kinds.items() if k == kind]
        blocked = mail_blocked(ids, kind) if kind in IMMEDIATE_KINDS else set(ids)
        rows += [
            Notification(
                recipient_id=uid,
                kind=kind,
                actor=actor,
                group=group,
                event=event[:80],
                target_type=target_type,
                target_id=target_id,
                url=url[:500],
                subject=(subject or "")[:200],
                about=about,
                mail=Notification.Mail.NONE if uid in blocked else Notification.Mail.PENDING,
            )
            for uid in ids
        ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    to_mail = sorted({row.recipient_id for row in rows if row.mail == Notification.Mail.PENDING})
    if to_mail:
        transaction.on_commit(lambda: [queue_mail(uid) for uid in to_mail])
    return len(rows)


def withdraw(target_type: str, target_ids: Iterable[int]) -> int:
    """Forget the notifications about items that were hidden, held or deleted, and about what
    they contained (a bookmark's comments): nobody is told about what they can no longer see,
    and a mail not yet sent is not sent."""
    ids = [int(i) for i in target_ids]
    if not ids:
        return 0
    deleted, _rows = Notification.objects.filter(
        Q(target_type=target_type, target_id__in=ids)
        | Q(about__in=[f"{target_type}:{i}" for i in ids])
    ).delete()
    return deleted


def withdraw_posts_of(actor: User, group: Group) -> int:
    """Forget what a member banned with their posts hidden told the group."""
    deleted, _rows = Notification.objects.filter(actor=actor, group=group).delete()
    return deleted


def queue_mail(user_id: int) -> None:
    """The first notification mail of a window goes at once; what arrives during the next
    MAIL_BATCH_SECONDS waits and leaves in one mail at the end of the window."""
    window = settings.NOTIFICATION_MAIL_BATCH_SECONDS
    client = redis_client()
    try:
        if client.set(f"commonplace:mail:window:{user_id}", "1", nx=True, ex=window):
            enqueue(MAIL_TASK, user_id)
            return
        ttl = client.ttl(f"commonplace:mail:window:{user_id}")
        wait = ttl if ttl and ttl > 0 else 1
        if client.set(f"commonplace:mail:batch:{user_id}", "1", nx=True, ex=wait):
            enqueue_later(wait, MAIL_TASK, user_id)
    except Exception:
        # Without Redis the periodic sweep (notifications.tasks.send_pending_mail) sends it.
        enqueue(MAIL_TASK, user_id)


# --- reading -------------------------------------------------------------------------------
def mark_read(user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- mail choices --------------------------------------------------------------------------
def _settings_row(user):
    row, _created = MailSettings.objects.get_or_create(user=user)
    return row


@transaction.atomic
def update_mail_settings(
    user: User,
    *,
    no_mail: bool | None = None,
    muted_kinds: list[str] | None = None,
    people_digest: str | None = None,
    language: str | None = None,
) -> MailSettings:
    row = _settings_row(user)
    if muted_kinds is not None:
        unknown = set(muted_kinds) - set(Kind.values)
        if unknown:
            raise ValidationError({"muted_kinds": _("Unknown kind of notification.")})
        row.muted_kinds = sorted(set(muted_kinds))
    if people_digest is not None:
        if people_digest not in Digest.values:
            raise ValidationError({"people_digest": _("Choose daily, weekly or never.")})
        row.people_digest = people_digest
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": _("Unknown language.")})
        row.language = language
    if no_mail is not None:
        row.no_mail = bool(no_mail)
    row.save()
    return row


def remember_language(user: User, language: str) -> None:
    """Mails go out in the language the person last read the site in."""
    if language in dict(settings.LANGUAGES):
        updated = MailSettings.objects.filter(user=user).exclude(language=language)
        if (
            not updated.update(language=language)
            and not MailSettings.objects.filter(user=user).exists()
        ):
            MailSettings.objects.get_or_create(user=user, defaults={"language": language})


def _require_member(user, group):
    if not Membership.objects.filter(user_id=user.pk, group=group).exists():
        raise ValidationError(_("Only members of this group can follow it."))


@transaction.atomic
def set_group_follow(
    user: User, group: Group, *, following: bool | None = None, digest: str | None = None
) -> GroupFollow:
    _require_member(user, group)
    row, _created = GroupFollow.objects.get_or_create(user=user, group=group)
    if digest is not None:
        if digest not in Digest.values:
            raise ValidationError({"digest": _("Choose daily, weekly or never.")})
        row.digest = digest
    if following is not None:
        row.following = bool(following)
    row.save()
    return row


def follow_tag(user: User, group: Group, tag: str) -> TagFollow:
    _require_member(user, group)
    tag = (tag or "").strip().lower()[:100]
    if not tag:
        raise ValidationError({"tag": _("Name a tag.")})
    row, _created = TagFollow.objects.get_or_create(user=user, group=group, tag=tag)
    return row


def unfollow_tag(user: User, group: Group, tag: str) -> None:
    TagFollow.objects.filter(user=user, group=group, tag=(tag or "").strip().lower()).delete()


def follow_user(user: User, followed: User) -> UserFollow:
    if followed.pk == user.pk:
        raise ValidationError(_("You cannot follow yourself."))
    row, _created = UserFollow.objects.get_or_create(follower=user, followed=followed)
    return row


def unfollow_user(user: User, followed: User) -> None:
    UserFollow.objects.filter(follower=user, followed=followed).delete()


@transaction.atomic
def unsubscribe(user_id: int, scope: str) -> bool:
    """Apply a one-click unsubscribe (tokens.read_unsubscribe_token gave the scope)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    row = _settings_row(user)
    if scope == "all":
        row.no_mail = True
    elif scope == "people":
        row.people_digest = Digest.OFF
    elif scope.startswith("kind:") and scope[5:] in Kind.values:
        row.muted_kinds = sorted({*row.muted_kinds, scope[5:]})
    elif scope.startswith("group:") and scope[6:].isdigit():
        if not Group.objects.filter(pk=int(scope[6:])).exists():
            return False
        GroupFollow.objects.update_or_create(
            user=user, group_id=int(scope[6:]), defaults={"digest": Digest.OFF}
        )
        return True
    else:
        return False
    row.save()
    return True

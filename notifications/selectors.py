"""Reads of notifications and mail choices, filtered by what the reader may still see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.types import Viewer
from groups.models import Group, Membership

from .models import Digest, GroupFollow, MailSettings, Notification, TagFollow, UserFollow


def _uid(viewer):
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def visible_group_q(user_id: int, prefix: str = "") -> Q:
    """No group, a public group, or a group the user is still in: a private group they left
    tells them nothing more, not even what they were told while they were in it."""
    return (
        Q(**{f"{prefix}group__isnull": True})
        | Q(**{f"{prefix}group__visibility": Group.Visibility.PUBLIC})
        | Exists(Membership.objects.filter(group=OuterRef(f"{prefix}group_id"), user_id=user_id))
    )


def notifications_for(viewer: Viewer, *, unread: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first, with actor and group for display."""
    uid = _uid(viewer)
    if uid is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(visible_group_q(uid), recipient_id=uid)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("actor", "group")


def unread_count(viewer: Viewer) -> int:
    """The bell's number: one COUNT over the partial index of unread rows, without joining
    groups. notifications.hooks keeps every unread row one its reader may see (leaving a
    private group, or a group turning private, marks its rows read for those outside)."""
    uid = _uid(viewer)
    if uid is None:
        return 0
    return Notification.objects.filter(recipient_id=uid, read_at__isnull=True).count()


def get_notification(viewer: Viewer, pk: int) -> Notification | None:
    return notifications_for(viewer).filter(pk=pk).first()


def mail_settings_of(user: User) -> MailSettings:
    """The user's choices; an unsaved row with the defaults when they never chose."""
    found = MailSettings.objects.filter(user_id=user.pk).first()
    return found or MailSettings(user=user)


def group_follows(user: User) -> list[tuple[Group, GroupFollow]]:
    """(group, choices) for each group the user is in; unsaved defaults where none chosen."""
    groups = list(
        Group.objects.filter(Exists(Membership.objects.filter(group=OuterRef("pk"), user=user)))
    )
    chosen = {f.group_id: f for f in GroupFollow.objects.filter(user=user)}
    return [(g, chosen.get(g.pk) or GroupFollow(user=user, group=g)) for g in groups]


def group_follow_of(user: User, group: Group) -> GroupFollow:
    return GroupFollow.objects.filter(user=user, group=group).first() or GroupFollow(
        user=user, group=group
    )


def group_unfollowers(group: Group) -> QuerySet:
    """Ids of the members who stopped following the group."""
    return GroupFollow.objects.filter(group=group, following=False).values("user_id")


def digest_choices(group: Group) -> dict[int, str]:
    """{user id: daily/weekly/off} of the members who chose something other than the default."""
    return {
        f.user_id: (f.digest if f.following else Digest.OFF)
        for f in GroupFollow.objects.filter(group=group)
    }


def followed_tags(user: User, group: Group | None = None) -> QuerySet[TagFollow]:
    qs = TagFollow.objects.filter(user=user).select_related("group")
    return qs.filter(group=group) if group is not None else qs


def followed_people(user: User) -> QuerySet[UserFollow]:
    return UserFollow.objects.filter(follower=user).select_related("followed")


def is_following_tag(viewer: Viewer, group: Group, tag: str) -> bool:
    uid = _uid(viewer)
    return (
        uid is not None
        and TagFollow.objects.filter(user_id=uid, group=group, tag=tag.strip().lower()).exists()
    )


def is_following_user(viewer: Viewer, user: User) -> bool:
    uid = _uid(viewer)
    return uid is not None and UserFollow.objects.filter(follower_id=uid, followed=user).exists()


def mail_blocked(user_ids: list[int], kind: str) -> set[int]:
    """Of these users, those who want no mail of this kind (or no mail at all)."""
    return set(
        MailSettings.objects.filter(user_id__in=user_ids)
        .filter(Q(no_mail=True) | Q(muted_kinds__contains=[kind]))
        .values_list("user_id", flat=True)
    )


def pending_mail(user: User) -> QuerySet[Notification]:
    """Notifications still waiting for their mail that the user may still see."""
    return (
        notifications_for(user).filter(mail=Notification.Mail.PENDING).order_by("created_at", "id")
    )

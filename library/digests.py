"""Group digests, composed from every app: a group's new items (titles, highlight counts), the
most discussed ones and the new topics of a period, plus what each member follows there; and
the digest of the public saves of the people someone follows.

One digest per member, group and period: a DigestDelivery row is claimed before sending, so
running a period twice (beat and a hand-run command) sends nothing twice; a claimed digest
whose send failed is sent by the next run.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from annotations.models import Comment, Status
from bookmarks.models import Bookmark
from groups.models import Group, Membership, Topic
from notifications.mail import build_message, send_messages
from notifications.models import Digest, DigestDelivery, MailSettings, TagFollow, UserFollow
from notifications.selectors import digest_choices
from notifications.texts import absolute_url

ITEMS = 20
DISCUSSED = 5
SEND_CHUNK = 200


def period_window(period: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last whole day (daily) or ISO week (weekly) before `now`, in UTC."""
    now = now or timezone.now()
    end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Digest.WEEKLY:
        end -= timedelta(days=end.weekday())
        return end - timedelta(days=7), end
    return end - timedelta(days=1), end


@dataclass
class GroupDigest:
    group: Group
    new_items: list = field(default_factory=list)
    discussed: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    new_count: int = 0

    @property
    def empty(self):
        return not (self.new_items or self.discussed or self.topics)


def _item(bookmark, **extra):
    return {
        "title": bookmark.title or bookmark.page.url,
        "url": absolute_url(reverse("library:detail", args=[bookmark.pk])),
        "tags": bookmark.tags,
        **extra,
    }


def compose_group_digest(group: Group, start: datetime, end: datetime) -> GroupDigest:
    """What happened in the group during [start, end): a handful of queries per group."""
    in_window = {"created_at__gte": start, "created_at__lt": end}
    # what a moderator hid (Bookmark.hidden, and posts under it) is in no digest
    new = Bookmark.objects.filter(group=group, hidden=False, **in_window).select_related("page")
    new_count = new.count()
    highlights = Q(highlights__status=Status.VISIBLE)
    new_items = [
        _item(b, highlights=b.n)
        for b in new.annotate(n=Count("highlights", filter=highlights)).order_by("-created_at")[
            :ITEMS
        ]
    ]
    talked = (
        Comment.objects.filter(
            bookmark__group=group, bookmark__hidden=False, status=Status.VISIBLE, is_deleted=False
        )
        .filter(**in_window)
        .values("bookmark_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:DISCUSSED]
    )
    counts = {row["bookmark_id"]: row["n"] for row in talked}
    by_id = Bookmark.objects.select_related("page").in_bulk(list(counts))
    discussed = [_item(by_id[pk], comments=n) for pk, n in counts.items() if pk in by_id]
    topics = [
        {
            "title": t.title,
            "url": absolute_url(reverse("annotations:topic", args=[group.slug, t.pk])),
        }
        for t in Topic.objects.filter(group=group, status=Topic.Status.VISIBLE, **in_window)[:ITEMS]
    ]
    return GroupDigest(group, new_items, discussed, topics, new_count)


def _tagged_items(group, start, end, tags):
    found = Bookmark.objects.filter(
        group=group,
        hidden=False,
        tags__overlap=tags,
        created_at__gte=start,
        created_at__lt=end,
    ).select_related("page")[:ITEMS]
    return [_item(b) for b in found]


def _claim(users, group, period, start):
    """The users whose digest of this group and period is still to send (claims theirs)."""
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user=u, group=group, period=period, period_start=start) for u in users],
        ignore_conflicts=True,
    )
    open_ids = set(
        DigestDelivery.objects.filter(
            group=group, period=period, period_start=start, sent_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk in open_ids]


def _mark_sent(users, group, period, start):
    DigestDelivery.objects.filter(
        user__in=users, group=group, period=period, period_start=start
    ).update(sent_at=timezone.now())


def _recipients(group, period):
    """Members whose digest of this group comes at this period (default weekly), with mail."""
    choices = digest_choices(group)
    members = User.objects.filter(memberships__group=group, is_active=True, email__gt="").exclude(
        pk__in=MailSettings.objects.filter(no_mail=True).values("user_id")
    )
    return [u for u in members if choices.get(u.pk, Digest.WEEKLY) == period]


def _languages(users):
    found = dict(MailSettings.objects.filter(user__in=users).values_list("user_id", "language"))
    return {u.pk: found.get(u.pk, "en") for u in users}


def send_group_digest(group: Group, period: str, start: datetime, end: datetime, *, dry_run=False):
    digest = compose_group_digest(group, start, end)
    if digest.empty:
        return 0
    users = _recipients(group, period)
    if dry_run:
        return len(users)
    users = _claim(users, group, period, start)
    follows = {}
    for follow in TagFollow.objects.filter(group=group, user__in=users):
        follows.setdefault(follow.user_id, []).append(follow.tag)
    languages = _languages(users)
    sent = 0
    for i in range(0, len(users), SEND_CHUNK):
        chunk = users[i : i + SEND_CHUNK]
        messages = []
        for user in chunk:
            tagged = (
                _tagged_items(group, start, end, follows[user.pk]) if user.pk in follows else []
            )
            with translation.override(languages[user.pk]):
                messages.append(
                    build_message(
                        user,
                        subject=_("%(group)s: this %(period)s on Commonplace")
                        % {"group": group.name, "period": Digest(period).label.lower()},
                        template="notifications/mail/digest",
                        context={
                            "digest": digest,
                            "tagged": tagged,
                            "tags": follows.get(user.pk, []),
                            "group_url": absolute_url(group.get_absolute_url()),
                            "unsubscribe_label": _("Stop this digest"),
                        },
                        scope=f"group:{group.pk}",
                    )
                )
        send_messages(messages)
        _mark_sent(chunk, group, period, start)
        sent += len(chunk)
    return sent


def send_people_digests(period: str, start: datetime, end: datetime, *, dry_run=False) -> int:
    """The public saves, during the period, of the people each person follows."""
    followers = User.objects.filter(
        pk__in=UserFollow.objects.values("follower_id"), is_active=True, email__gt=""
    )
    prefs = {m.user_id: m for m in MailSettings.objects.filter(user__in=followers)}
    sent = 0
    for user in followers:
        mine = prefs.get(user.pk)
        if mine and (mine.no_mail or mine.people_digest != period):
            continue
        if not mine and period != Digest.WEEKLY:
            continue
        saves = Bookmark.objects.filter(
            owner__followers__follower=user,
            group__isnull=True,
            private=False,
            created_at__gte=start,
            created_at__lt=end,
        ).select_related("page", "owner")[:ITEMS]
        items = [_item(b, by=b.owner.name) for b in saves]
        if not items or dry_run:
            sent += bool(items)
            continue
        if not _claim([user], None, period, start):
            continue
        with translation.override(mine.language if mine else "en"):
            message = build_message(
                user,
                subject=_("New saves of the people you follow"),
                template="notifications/mail/people_digest",
                context={"items": items, "unsubscribe_label": _("Stop this digest")},
                scope="people",
            )
        send_messages([message])
        _mark_sent([user], None, period, start)
        sent += 1
    return sent


def send_digests(period: str, *, now: datetime | None = None, dry_run: bool = False) -> dict:
    """Every digest of the period: {"groups": digests sent, "people": ..., "window": ...}."""
    if period not in (Digest.DAILY, Digest.WEEKLY):
        raise ValueError("period is daily or weekly")
    start, end = period_window(period, now)
    active = Group.objects.filter(
        Q(bookmarks__created_at__gte=start, bookmarks__created_at__lt=end)
        | Q(topics__created_at__gte=start, topics__created_at__lt=end)
    ).distinct()
    groups = sum(
        send_group_digest(g, period, start, end, dry_run=dry_run)
        for g in active
        if Membership.objects.filter(group=g).exists()
    )
    people = send_people_digests(period, start, end, dry_run=dry_run)
    return {"groups": groups, "people": people, "start": start, "end": end}

"""The reads behind a spam verdict: an author's context and the moderators' labels.

Apart from selectors.py because that module reads the moderation log through moderation.py,
which writes through services.py: services.py reads these without a cycle.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from groups.models import Group, Membership, Topic

from . import spam
from .models import Comment, SpamLabel

# A domain counts as spam once moderators marked more posts linking to it spam than not.
MAX_DOMAINS_CHECKED = 5
DUPLICATE_WINDOW = timedelta(days=7)


def spam_domains(domains: set[str]) -> frozenset:
    """Which of `domains` moderators marked spam (in more labels than they marked not spam)."""
    marked = set()
    for domain in sorted(d for d in domains if "." in d)[:MAX_DOMAINS_CHECKED]:
        counts = SpamLabel.objects.filter(text__icontains=domain).values_list("is_spam", flat=True)
        verdicts = list(counts[:200])
        if verdicts.count(True) > verdicts.count(False):
            marked.add(domain)
    return frozenset(marked)


def spam_context(
    *, author: User, text: str, group: Group | None, now: datetime | None = None
) -> spam.Context:
    now = now or timezone.now()
    body = (text or "").strip()
    copies, copy_marked_spam = 0, False
    if len(body) >= spam.DUPLICATE_MIN_LENGTH:
        same = Comment.objects.filter(body=body, created_at__gte=now - DUPLICATE_WINDOW)
        copy_marked_spam = (
            same.filter(spam_score__gte=spam.MARKED_SPAM_SCORE).exists()
            or SpamLabel.objects.filter(text=body, is_spam=True).exists()
        )
        copies = 0 if copy_marked_spam else same.count()
    since = now - spam.BURST_WINDOW
    recent = (
        Comment.objects.filter(author=author, created_at__gte=since).count()
        + Topic.objects.filter(author=author, created_at__gte=since).count()
    )
    first_post = False
    if group is not None:
        first_post = Membership.objects.filter(group=group, user=author, post_count=0).exists()
    joined = getattr(author, "date_joined", None)
    domains = {spam.link_domain(link) for link in spam.find_links(body)}
    return spam.Context(
        account_age=(now - joined) if joined else None,
        first_post=first_post,
        recent_posts=recent,
        copies=copies,
        copy_marked_spam=copy_marked_spam,
        spam_domains=spam_domains(domains) if domains else frozenset(),
    )


def training_labels() -> list[tuple[str, bool]]:
    """Every text moderators labelled, with its latest label."""
    latest = {}
    for text, is_spam in SpamLabel.objects.order_by("created_at", "id").values_list(
        "text", "is_spam"
    ):
        latest[text] = is_spam
    return sorted(latest.items())


def label_count() -> int:
    return SpamLabel.objects.count()

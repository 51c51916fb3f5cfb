"""Reads of highlights, comments and topics, already filtered by what the viewer may see."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.types import Viewer
from bookmarks.models import Bookmark
from bookmarks.selectors import visibility_q
from bookmarks.urlnorm import normalize_url, url_key
from groups import permissions
from groups.models import Group, Membership, Topic
from groups.selectors import readable_group_ids_subquery, role_of

from . import rules
from .log_phrases import describe_entry
from .models import Comment, Flag, Highlight, ModerationLog, Status

MIDDLE_LIMIT = 3


def _uid(viewer):
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def status_q(viewer: Viewer, prefix: str = ""):
    """Visible to everyone, plus the viewer's own held posts ("held for review").

    Hidden posts are out of every list: moderators see them in the moderation queue.
    """
    q = Q(**{f"{prefix}status": Status.VISIBLE})
    uid = _uid(viewer)
    if uid is not None:
        q |= Q(**{f"{prefix}status": Status.HELD, f"{prefix}author_id": uid})
    return q


def comment_status_q(viewer: Viewer):
    """status_q, plus: the owner of a personal item sees comments held on it, to approve them
    (a personal library has no moderators but its owner)."""
    q = status_q(viewer)
    uid = _uid(viewer)
    if uid is not None:
        q |= Q(status=Status.HELD, bookmark__group__isnull=True, bookmark__owner_id=uid)
    return q


def thread_q(viewer: Viewer, held_too: bool = False):
    """What a comment hangs under (parent chain, highlight, topic: Comment.thread_status) is
    visible, or held and the comment is the viewer's own (or the viewer moderates: held_too).
    A reply under a hidden comment or highlight is hidden with it, whoever asks."""
    q = Q(thread_status=Status.VISIBLE)
    uid = _uid(viewer)
    if held_too:
        q |= Q(thread_status=Status.HELD)
    elif uid is not None:
        q |= Q(thread_status=Status.HELD, author_id=uid)
    return q


def visible_highlights(viewer: Viewer, bookmark: Bookmark):
    return (
        Highlight.objects.filter(visibility_q(viewer, "bookmark__"), bookmark=bookmark)
        .filter(status_q(viewer))
        .select_related("author")
    )


def get_visible_highlight(viewer: Viewer, pk: int):
    qs = Highlight.objects.filter(visibility_q(viewer, "bookmark__")).filter(status_q(viewer))
    try:
        return qs.select_related("author", "bookmark__group", "bookmark__owner").get(pk=pk)
    except Highlight.DoesNotExist:
        raise Http404("No such highlight.") from None


def _comment_subject_q(viewer):
    on_bookmark = Q(bookmark__isnull=False) & visibility_q(viewer, "bookmark__")
    on_topic = Q(
        topic__isnull=False, topic__group__in=readable_group_ids_subquery(viewer)
    ) & status_q(viewer, "topic__")
    return on_bookmark | on_topic


def visible_comments(
    viewer: Viewer, *, bookmark: Bookmark = None, topic: Topic = None, held_too: bool = False
):
    """Comments the viewer may read (flat, oldest first), plus deleted ones that still hold
    replies (their text is gone). Threads: `comment_threads`.

    `held_too`: also everyone's held comments, for a page whose group the viewer moderates
    (the caller decides, with rules.may_moderate).
    """
    shown = Q(is_deleted=True) | comment_status_q(viewer)
    if held_too:
        shown |= Q(status=Status.HELD)
    qs = Comment.objects.filter(shown).filter(thread_q(viewer, held_too))
    if bookmark is not None:
        qs = qs.filter(visibility_q(viewer, "bookmark__"), bookmark=bookmark)
    elif topic is not None:
        qs = qs.filter(topic=topic, topic__group__in=readable_group_ids_subquery(viewer))
    else:
        qs = qs.filter(_comment_subject_q(viewer))
    return qs.select_related("author")


def group_comments_for_everyone(group: Group):
    """The group's comments that every member sees, newest first (the group's comments feed):
    visible, in a visible thread (thread_status: the parents, the highlight, the topic above
    it), not deleted, and not on a bookmark a moderator hid (Bookmark.hidden). The caller has
    checked that the viewer may read the group."""
    return Comment.objects.filter(
        Q(bookmark__group=group, bookmark__hidden=False) | Q(topic__group=group),
        status=Status.VISIBLE,
        thread_status=Status.VISIBLE,
        is_deleted=False,
    ).order_by("-created_at", "-id")


def get_visible_comment(viewer: Viewer, pk: int):
    try:
        return (
            visible_comments(viewer)
            .filter(is_deleted=False)
            .select_related("bookmark__group", "bookmark__owner", "topic__group", "highlight")
            .get(pk=pk)
        )
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None


def build_threads(comments: list[Comment]):
    """Roots with `.thread_replies` filled in, from one flat list (one query, any depth).

    A reply whose parent the viewer cannot see goes with it (it answers something hidden); a
    deleted comment with nothing left under it disappears.
    """
    by_id = {c.pk: c for c in comments}
    for c in comments:
        c.thread_replies = []
    roots = []
    for c in comments:
        if c.parent_id is None:
            roots.append(c)
        elif c.parent_id in by_id:
            by_id[c.parent_id].thread_replies.append(c)

    def prune(nodes):
        kept = []
        for node in nodes:
            node.thread_replies = prune(node.thread_replies)
            if not node.is_deleted or node.thread_replies:
                kept.append(node)
        return kept

    return prune(roots)


def comment_threads(
    viewer: Viewer, *, bookmark: Bookmark = None, topic: Topic = None, held_too: bool = False
):
    return build_threads(
        list(visible_comments(viewer, bookmark=bookmark, topic=topic, held_too=held_too))
    )


def visible_topics(viewer: Viewer, group: Group | None, *, replies: bool = True):
    """The group's topics the viewer may read: visible ones and their own held ones, newest
    first, with the number of visible replies (`replies=False`: without it, for a listing
    that reads the topics' ids and count only). The caller already has a readable `group`."""
    topics = (
        Topic.objects.filter(group=group, group__in=readable_group_ids_subquery(viewer))
        .filter(status_q(viewer))
        .select_related("author", "group")
        .order_by("-created_at", "-id")
    )
    if not replies:
        return topics
    counted = (
        Comment.objects.filter(
            topic=OuterRef("pk"),
            status=Status.VISIBLE,
            thread_status=Status.VISIBLE,
            is_deleted=False,
        )
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A subquery, not a JOIN + GROUP BY: the library unions this queryset with bookmarks.
    return topics.annotate(reply_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def get_visible_topic(viewer: Viewer, pk: int, group: Group | None = None, held_too: bool = False):
    """The topic (404 when the viewer may not read it). `held_too`: anyone's held topic of
    `group` too, for the topic page of a group the viewer moderates (the caller decides, with
    rules.may_moderate)."""
    shown = status_q(viewer)
    if held_too:
        assert group is not None, "held_too is for one group's moderators"
        shown |= Q(status=Status.HELD)
    qs = Topic.objects.filter(group__in=readable_group_ids_subquery(viewer)).filter(shown)
    if group is not None:
        qs = qs.filter(group=group)
    try:
        return qs.select_related("author", "group").get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None


# --- library items -----------------------------------------------------------------------
@dataclass
class ItemAnnotations:
    """What one library item shows under it: `entries` (highlights then comments, each with
    `.kind`) and how many more there are than shown."""

    mode: str
    entries: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return max(self.total - len(self.entries), 0)


def _count_of(model, **filters):
    counted = (
        model.objects.filter(bookmark=OuterRef("pk"), status="visible", **filters)
        .order_by()
        .values("bookmark")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_COUNTS = {}


def with_counts(queryset: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    """Each bookmark's visible highlight and comment counts, in the same query."""
    if not _COUNTS:  # built once: Django copies expressions when it resolves them
        _COUNTS["highlight_count"] = _count_of(Highlight)
        _COUNTS["comment_count"] = _count_of(Comment, thread_status="visible", is_deleted=False)
    return queryset.annotate(**_COUNTS)


# The middle view's first rows of each item, in one statement: the ORM writes who sees what
# (the inner query), the window around it is written out. Django compiles a filter on a
# window (rank <= 3) by compiling the whole query twice over; that, and building model
# instances, were most of what a library page's annotations cost.
_FIRST_ROWS_SQL = """
SELECT {names}, of FROM (
    SELECT shown.*,
        row_number() OVER (PARTITION BY bookmark_id ORDER BY created_at, id) AS rank,
        count(*) OVER (PARTITION BY bookmark_id) AS of
    FROM ({inner}) AS shown
) AS ranked
WHERE rank <= %s
ORDER BY rank
"""
# What annotations/_item_entry.html shows of each (the row cache's key is made of it too).
_HIGHLIGHT_FIELDS = ("id", "bookmark_id", "exact", "color", "status", "anchor_status", "note_html")
_COMMENT_FIELDS = ("id", "bookmark_id", "body_html", "status", "edited_at", "author_name")


def _first_rows(queryset: QuerySet, names: tuple, limit: int) -> list[dict]:
    """The first `limit` rows of `queryset` per bookmark (oldest first) as {name: value}, each
    with `of`: how many rows its bookmark has in `queryset`."""
    inner, params = queryset.order_by().values(*names, "created_at").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _FIRST_ROWS_SQL.format(names=", ".join(names), inner=inner), [*params, limit]
        )
        columns = [*names, "of"]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _fill_middle(by_id: dict, highlights: QuerySet, comments: QuerySet):
    """The first three annotations of each item (highlights first, then comments), as plain
    entries holding what the row shows, and how many the item has in all."""
    for row in _first_rows(highlights, _HIGHLIGHT_FIELDS, MIDDLE_LIMIT):
        item = by_id[row["bookmark_id"]].item_annotations
        item.entries.append(SimpleNamespace(kind="highlight", pk=row["id"], threads=[], **row))
        item.total = row["of"]  # each row of an item carries the same number
    author_name = Coalesce(NullIf("author__display_name", Value("")), "author__username")
    comments = comments.annotate(author_name=author_name)  # User.name; None: a former member
    comment_totals = {}
    for row in _first_rows(comments, _COMMENT_FIELDS, MIDDLE_LIMIT):
        item = by_id[row["bookmark_id"]].item_annotations
        comment_totals[row["bookmark_id"]] = row["of"]
        if len(item.entries) < MIDDLE_LIMIT:
            name = row.pop("author_name")
            item.entries.append(
                SimpleNamespace(
                    kind="comment",
                    pk=row["id"],
                    is_deleted=False,
                    thread_replies=[],
                    author=SimpleNamespace(name=name) if name is not None else None,
                    **row,
                )
            )
    for bookmark_id, total in comment_totals.items():
        by_id[bookmark_id].item_annotations.total += total


def attach_annotations(bookmarks: list[Bookmark], viewer: Viewer, mode: str):
    """Give each bookmark of a library page `item_annotations` (ItemAnnotations).

    simple: nothing. middle: the first three (highlights first, then comments) and how many
    more. full: every highlight with its sticky-note threads and every comment thread.
    Costs two queries whatever the page holds.
    """
    bookmarks = list(bookmarks)
    for b in bookmarks:
        b.item_annotations = ItemAnnotations(mode=mode)
    if mode not in ("middle", "full") or not bookmarks:
        return bookmarks
    by_id = {b.pk: b for b in bookmarks}
    ids = list(by_id)
    highlights = Highlight.objects.filter(bookmark_id__in=ids).filter(status_q(viewer))
    # comment_status_q without its join: the page already knows which items are the viewer's own.
    uid = _uid(viewer)
    own_personal = [b.pk for b in bookmarks if b.group_id is None and b.owner_id == uid]
    shown = Q(is_deleted=True) | status_q(viewer)
    if own_personal:
        shown |= Q(status=Status.HELD, bookmark_id__in=own_personal)
    comments = Comment.objects.filter(bookmark_id__in=ids).filter(shown).filter(thread_q(viewer))
    if mode == "middle":
        # Only top-level comments on the item count as its annotations; replies and sticky
        # notes are seen on the item's page.
        comments = comments.filter(highlight__isnull=True, parent__isnull=True, is_deleted=False)
        _fill_middle(by_id, highlights, comments)
        return bookmarks

    hs = list(highlights.select_related("author").order_by("created_at", "id"))
    cs = list(comments.select_related("author").order_by("created_at", "id"))
    _fill_full(by_id, hs, cs)
    return bookmarks


def _fill_full(by_id, hs, cs):
    sticky = {}
    on_item = {}
    for c in cs:
        (
            sticky.setdefault(c.highlight_id, [])
            if c.highlight_id
            else on_item.setdefault(c.bookmark_id, [])
        ).append(c)
    for h in hs:
        h.kind = "highlight"
        h.threads = build_threads(sticky.get(h.pk, []))
        by_id[h.bookmark_id].item_annotations.entries.append(h)
    for bookmark_id, flat in on_item.items():
        for c in build_threads(flat):
            c.kind = "comment"
            by_id[bookmark_id].item_annotations.entries.append(c)
    for b in by_id.values():
        item = b.item_annotations
        item.total = len(item.entries)


def item_annotations(viewer: Viewer, bookmark: Bookmark, held_too: bool = False):
    """Every annotation of one visible item (the "...N more..." expansion and the item page);
    `held_too` adds held comments for a moderator's item page."""
    bookmark.item_annotations = ItemAnnotations(mode="full")
    hs = list(visible_highlights(viewer, bookmark).order_by("created_at", "id"))
    cs = list(
        visible_comments(viewer, bookmark=bookmark, held_too=held_too).order_by("created_at", "id")
    )
    _fill_full({bookmark.pk: bookmark}, hs, cs)
    return bookmark.item_annotations


def bookmark_panel(viewer: Viewer, bookmark: Bookmark):
    """Everything the annotations block of a bookmark page shows, and what the viewer may do."""
    role = role_of(viewer, bookmark.group) if bookmark.group_id else None
    may_moderate = rules.may_moderate(viewer, bookmark.group, role)
    # The group's moderators see held comments in place, to approve or hide them there.
    annotations = item_annotations(viewer, bookmark, held_too=may_moderate)
    return {
        "bookmark": bookmark,
        "group": bookmark.group,
        "here": bookmark.get_absolute_url(),
        "annotations": annotations,
        "has_highlights": any(e.kind == "highlight" for e in annotations.entries),
        "has_comments": any(e.kind == "comment" for e in annotations.entries),
        "comment_url": reverse("annotations:comment_create", args=[bookmark.pk]),
        "may_highlight": rules.may_highlight(viewer, bookmark, role),
        "may_comment": rules.may_comment(viewer, bookmark, role),
        "may_moderate": may_moderate,
        "may_flag": rules.may_flag(viewer, bookmark.group, role),
        "owns_item": rules.authenticated(viewer) and bookmark.owner_id == viewer.pk,
        "moderates_item": bookmark.group_id is None
        and rules.authenticated(viewer)
        and bookmark.owner_id == viewer.pk,
        "comments_off": bookmark.group_id is None and not bookmark.comments_enabled,
        "colors": Highlight.Color.choices,
    }


def topic_page(viewer: Viewer, group: Group | None, pk: int):
    """The topic page of a readable `group`: what its topic `pk` shows (404 when the viewer
    may not read it). The group's moderators also open a held topic, to approve or hide it."""
    role = role_of(viewer, group)
    may_moderate = rules.may_moderate(viewer, group, role)
    topic = get_visible_topic(viewer, pk, group=group, held_too=may_moderate)
    return _topic_panel(viewer, topic, role, may_moderate)


def _topic_panel(viewer, topic, role, may_moderate):
    """Everything a topic page shows, and what the viewer may do there."""
    # A held topic its author does not own is open to the viewer only as a moderator: the
    # ordinary views (reply, edit, delete, flag) still 404 on it, so their links are not offered.
    only_moderating = topic.status == Status.HELD and not (
        rules.authenticated(viewer) and topic.author_id == viewer.pk
    )
    return {
        "topic": topic,
        "group": topic.group,
        "here": topic.get_absolute_url(),
        "topics_url": reverse("annotations:topic_list", args=[topic.group.slug]),
        "threads": comment_threads(viewer, topic=topic, held_too=may_moderate),
        "comment_url": reverse("annotations:topic_comment", args=[topic.group.slug, topic.pk]),
        "may_comment": not only_moderating
        and rules.authenticated(viewer)
        and permissions.can(role, "post", topic.group),
        "may_moderate": may_moderate,
        "may_flag": not only_moderating and rules.may_flag(viewer, topic.group, role),
        "only_moderating": only_moderating,
    }


# --- moderation --------------------------------------------------------------------------
def require_moderator(viewer: Viewer, group: Group | None, role: str | None = None):
    if not rules.may_moderate(viewer, group, role):
        raise PermissionDenied(_("Only the group's moderators can see this."))


def get_moderatable_item(group: Group | None, kind: str, pk: int):
    """A comment, highlight, topic or bookmark of `group` (404 if it is not in the group)."""
    querysets = {
        "comment": Comment.objects.filter(Q(bookmark__group=group) | Q(topic__group=group)),
        "highlight": Highlight.objects.filter(bookmark__group=group),
        "topic": Topic.objects.filter(group=group),
        "bookmark": Bookmark.objects.filter(group=group),
    }
    if kind not in querysets:
        raise Http404("No such kind of item.")
    try:
        return querysets[kind].get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404("No such item in this group.") from None


def moderation_queue(viewer: Viewer, group: Group | None, *, role: str | None = None):
    """Held items and items with open flags in the group, each with its open flags, for the
    group's moderators (PermissionDenied for anyone else; `role`, when the view resolved it,
    saves the query)."""
    require_moderator(viewer, group, role)
    open_flags = list(
        Flag.objects.filter(group=group, resolved_at__isnull=True)
        .select_related("flagged_by", "bookmark__page", "bookmark__owner")
        .order_by("created_at")
    )
    flagged = {"comment": set(), "highlight": set(), "topic": set()}
    for f in open_flags:
        for kind in flagged:
            if getattr(f, f"{kind}_id"):
                flagged[kind].add(getattr(f, f"{kind}_id"))
    in_group_comment = Q(bookmark__group=group) | Q(topic__group=group)
    comments = list(
        Comment.objects.filter(in_group_comment)
        .filter(Q(status=Status.HELD) | Q(pk__in=flagged["comment"]))
        .filter(is_deleted=False)
        .exclude(status=Status.HIDDEN)
        .select_related(*_COMMENT_CONTEXT)
    )
    highlights = list(
        Highlight.objects.filter(bookmark__group=group)
        .filter(Q(status=Status.HELD) | Q(pk__in=flagged["highlight"]))
        .exclude(status=Status.HIDDEN)
        .select_related("author", "bookmark__page")
    )
    topics = list(
        Topic.objects.filter(group=group)
        .filter(Q(status=Status.HELD) | Q(pk__in=flagged["topic"]))
        .exclude(status=Status.HIDDEN)
        .select_related("author")
    )
    items = []
    for kind, rows in (("comment", comments), ("highlight", highlights), ("topic", topics)):
        for row in rows:
            row.kind, row.who = kind, row.author
            row.open_flags = [f for f in open_flags if getattr(f, f"{kind}_id") == row.pk]
            items.append(row)
    flagged_bookmarks = {}
    for f in open_flags:
        if f.bookmark_id:
            flagged_bookmarks.setdefault(f.bookmark_id, (f.bookmark, []))[1].append(f)
    for bookmark, flags in flagged_bookmarks.values():
        bookmark.kind, bookmark.who = "bookmark", bookmark.owner
        bookmark.open_flags = flags
        bookmark.status = "hidden" if bookmark.hidden else "visible"
        items.append(bookmark)
    items.sort(key=lambda i: i.created_at)
    return _with_context(items, group)


# what a comment of the queue is shown with: where it was posted, and what it answers
_COMMENT_CONTEXT = ("author", "bookmark__page", "topic", "highlight", "parent__author")


def _with_context(items, group):
    """Give each queue item `place` (title, url): the page it was posted on, anchored at the
    item, so a moderator sees it where readers do; and what it answers: `quoted` (the
    highlighted passage a sticky note is on) and `parent` (the comment a reply answers)."""
    for item in items:
        item.quoted, item.parent_comment = "", None
        if item.kind == "bookmark":
            item.place = (item.display_title, item.get_absolute_url())
        elif item.kind == "topic":
            item.place = (item.title, reverse("annotations:topic", args=[group.slug, item.pk]))
        elif item.kind == "highlight":
            url = reverse("library:detail", args=[item.bookmark_id])
            item.place = (item.bookmark.display_title, f"{url}#highlight-{item.pk}")
        else:
            if item.topic_id:
                url = reverse("annotations:topic", args=[group.slug, item.topic_id])
                item.place = (item.topic.title, f"{url}#comment-{item.pk}")
            else:
                url = reverse("library:detail", args=[item.bookmark_id])
                item.place = (item.bookmark.display_title, f"{url}#comment-{item.pk}")
            if item.highlight_id:
                item.quoted = item.highlight.exact
            if item.parent_id and not item.parent.is_deleted:
                item.parent_comment = item.parent
    return items


def hidden_items(viewer: Viewer, group: Group | None, *, role: str | None = None, limit: int = 50):
    """The group's most recently hidden comments, highlights, topics and bookmarks (to unhide
    them)."""
    require_moderator(viewer, group, role)
    hidden = Q(status=Status.HIDDEN)
    rows = [
        ("comment", Comment.objects.filter(Q(bookmark__group=group) | Q(topic__group=group))),
        ("highlight", Highlight.objects.filter(bookmark__group=group)),
        ("topic", Topic.objects.filter(group=group)),
    ]
    items = []
    related = {"comment": _COMMENT_CONTEXT, "highlight": ("author", "bookmark__page")}
    for kind, qs in rows:
        qs = qs.filter(hidden).select_related(*related.get(kind, ("author",)))
        for row in qs.order_by("-id")[:limit]:
            row.kind, row.who, row.open_flags = kind, row.author, []
            items.append(row)
    bookmarks = Bookmark.objects.filter(group=group, hidden=True).select_related("owner", "page")
    for row in bookmarks.order_by("-id")[:limit]:
        row.kind, row.who, row.open_flags, row.status = "bookmark", row.owner, [], "hidden"
        items.append(row)
    items.sort(key=lambda i: i.created_at, reverse=True)
    return _with_context(items[:limit], group)


def moderation_log(viewer: Viewer, group: Group | None, *, role: str | None = None):
    require_moderator(viewer, group, role)
    return ModerationLog.objects.filter(group=group).select_related("actor")


def _log_target_urls(viewer, group, kind, ids):
    """{pk: url} for the log's targets of one kind that still exist in `group`: the item's
    own page when the viewer may read it there, else (held or hidden) the moderation queue."""
    queue = reverse("annotations:moderation_queue", args=[group.slug])
    if kind == "bookmark":
        return {
            pk: reverse("library:detail", args=[pk])
            for pk in Bookmark.objects.filter(
                visibility_q(viewer), group=group, pk__in=ids
            ).values_list("pk", flat=True)
        }
    if kind == "comment":
        in_group = Comment.objects.filter(
            Q(bookmark__group=group) | Q(topic__group=group), pk__in=ids, is_deleted=False
        )
        readable = visible_comments(viewer).filter(pk__in=ids)
    elif kind == "highlight":
        in_group = Highlight.objects.filter(bookmark__group=group, pk__in=ids)
        readable = in_group.filter(visibility_q(viewer, "bookmark__")).filter(status_q(viewer))
    elif kind == "topic":
        in_group = Topic.objects.filter(group=group, pk__in=ids)
        readable = in_group.filter(group__in=readable_group_ids_subquery(viewer)).filter(
            status_q(viewer)
        )
    else:
        return {}
    shown = set(readable.values_list("pk", flat=True))
    homes = {"comment": ("bookmark_id", "topic_id"), "highlight": ("bookmark_id",), "topic": ()}
    urls = {}
    for row in in_group.values("pk", *homes[kind]):
        pk = row["pk"]
        if pk not in shown:
            urls[pk] = f"{queue}#mod-{kind}-{pk}"
        elif kind == "topic":
            urls[pk] = reverse("annotations:topic", args=[group.slug, pk])
        elif row.get("topic_id"):
            topic_url = reverse("annotations:topic", args=[group.slug, row["topic_id"]])
            urls[pk] = f"{topic_url}#comment-{pk}"
        else:
            urls[pk] = reverse("library:detail", args=[row["bookmark_id"]]) + f"#{kind}-{pk}"
    return urls


def describe_log_entries(viewer: Viewer, group: Group | None, entries: list):
    """Give each entry of a log page `phrase` ("hid a comment", in the reader's language) and
    `target_url` (None when the item is gone); two queries per kind of item on the page."""
    entries = list(entries)
    ids = {}
    for e in entries:
        if e.target_id is not None:
            ids.setdefault(e.target_type, set()).add(e.target_id)
    urls = {}
    for kind, pks in ids.items():
        if kind == "user":
            urls[kind] = {
                u.pk: u.get_absolute_url()
                for u in User.objects.filter(pk__in=pks, is_active=True).only("pk", "username")
            }
        else:
            urls[kind] = _log_target_urls(viewer, group, kind, pks)
    for e in entries:
        e.phrase, e.shown_detail = describe_entry(e)
        e.target_url = urls.get(e.target_type, {}).get(e.target_id)
    return entries


# The Moderation tab's number, on every group page a moderator reads, as one fixed statement:
# compiling the four counts through the ORM cost more than running them. Keep it beside the
# queue's rules (moderation_queue): held comments (on the group's items and topics, not
# deleted), held highlights and topics, and one per item with open flags.
_WAITING_SQL = """
SELECT
    (SELECT count(*) FROM annotations_comment c
        LEFT JOIN bookmarks_bookmark b ON b.id = c.bookmark_id
        LEFT JOIN groups_topic t ON t.id = c.topic_id
        WHERE c.status = %(held)s AND NOT c.is_deleted
            AND (b.group_id = %(group)s OR t.group_id = %(group)s))
    + (SELECT count(*) FROM annotations_highlight h
        JOIN bookmarks_bookmark b ON b.id = h.bookmark_id
        WHERE h.status = %(held)s AND b.group_id = %(group)s)
    + (SELECT count(*) FROM groups_topic WHERE status = %(held)s AND group_id = %(group)s)
    -- a flag names one item, its other columns are NULL: the row counts the item once
    + (SELECT count(DISTINCT (comment_id, highlight_id, topic_id, bookmark_id))
        FROM annotations_flag WHERE group_id = %(group)s AND resolved_at IS NULL)
"""


def moderation_count(group: Group) -> int:
    """How many items wait in the group's moderation queue (held, or with open flags): the
    number on its Moderation tab, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_WAITING_SQL, {"held": Status.HELD.value, "group": group.pk})
        return cursor.fetchone()[0]


def page_annotations(viewer: User, url: str):
    """Every highlight (with its note) the viewer may see on the page at `url`, across their
    own library and the groups they belong to, in page order, with `reply_count`.

    The browser extension paints these on the live page. Visibility is the usual rule in SQL
    (visibility_q, held notes only for their author), narrowed to the viewer's own saves and
    groups: a stranger's public bookmark of the same page is not the viewer's conversation.
    Raises bookmarks.urlnorm.InvalidURL for a URL that is not http(s).
    """
    key = url_key(normalize_url(url))
    my_groups = Membership.objects.filter(user_id=viewer.pk).values("group_id")
    replies = (
        Comment.objects.filter(highlight=OuterRef("pk"), status=Status.VISIBLE, is_deleted=False)
        .order_by()
        .values("highlight")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Highlight.objects.filter(bookmark__page__url_hash=key)
        .filter(visibility_q(viewer, "bookmark__"))
        .filter(status_q(viewer))
        .filter(
            Q(bookmark__group__isnull=True, bookmark__owner_id=viewer.pk)
            | Q(bookmark__group_id__in=my_groups)
        )
        .annotate(reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), 0))
        .select_related("author", "bookmark__group", "bookmark__page")
        .order_by(F("start").asc(nulls_last=True), "created_at", "id")
    )

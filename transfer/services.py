"""Applying parsed bookmark files to a library: one permission check, one transaction, bulk writes.

Every import (the web page, the Celery job, `manage.py import_bookmarks`) goes through
`import_items`. It validates every item first (a bad row is skipped and reported; strict refuses
the whole file), then writes in batches of 2,000 inside one transaction (INSERT … SELECT FROM
one JSON array per column, see `bulk_insert`), merges by normalized URL (tags united, the
earliest date kept, nothing duplicated), adds highlights with their notes and comments (dated as
the file says when it says, never in the future). Re-importing the same file therefore changes
nothing. The search vectors of each batch are built set-based rather than row by row by the
triggers (search.indexing.deferred_vectors): new bookmarks are inserted with theirs, merged ones
rebuilt in one statement.

Why not `save_bookmark` / `create_highlight` per row: a 100,000-item file would cost 100,000
transactions, fetch queues and snapshot queues. The rules those functions enforce (who may
post, field limits, private only in the personal library) are applied here to the whole batch.
Imported comments and notes meet the rules of posting (PostRules: spam, "hold first posts",
the posting limit), judged once per job rather than once per note. (Judging the next batch in a
thread while the database writes was tried: on this 2-CPU machine it cost more than it hid.)
The web form shows a preview (preview_upload) and writes only on Confirm (confirm_import).
Fetching: pages new to the site are queued for fetching on commit when there are at most
IMPORT_FETCH_NEW_PAGES of them; above that they stay "pending" and are fetched lazily by the
workers' periodic `bookmarks.tasks.retry_pending_pages` (a batch per run), so a 100,000-line
file does not flood the fetch queue. Highlights are anchored after their page is fetched.
"""

import dataclasses
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from annotations import spam
from annotations.markdown import render_markdown
from annotations.models import Comment, Highlight, ModerationLog, SpamLabel, Status
from annotations.ratelimit import take_post_allowance
from annotations.services import (
    current_spam_model,
    queue_page_snapshots,
    spam_threshold,
)
from annotations.spam_selectors import (
    DUPLICATE_WINDOW,
    MAX_DOMAINS_CHECKED,
    spam_context,
    spam_domains,
)
from bookmarks.dates import clamp_future
from bookmarks.models import Bookmark, Page
from bookmarks.services import check_can_post, queue_fetch
from bookmarks.tags import MAX_TAGS, parse_tags
from bookmarks.urlnorm import InvalidURL, normalize_url, url_key
from config.queue import enqueue
from groups import permissions
from groups.models import Group, Membership
from search.indexing import deferred_vectors, new_bookmark_vectors, reindex_bookmarks

from . import importers
from .importers import ImportFileError
from .models import ImportJob

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
TITLE_MAX = Bookmark._meta.get_field("title").max_length
DESCRIPTION_MAX = 10000
EXACT_MAX = 5000
NOTE_MAX = 10000
CONTEXT_MAX = 500
COLORS = set(Highlight.Color.values)


def fetch_new_pages_limit():
    return getattr(settings, "IMPORT_FETCH_NEW_PAGES", 200)


@dataclass
class ImportOutcome:
    created: int = 0
    merged: int = 0
    unchanged: int = 0  # merged items that brought nothing new
    highlights: int = 0
    comments: int = 0
    skipped: list = field(default_factory=list)  # [(where, reason)]
    highlighted_page_ids: set = field(default_factory=set)
    notes: list = field(default_factory=list)  # [(where, message)]: kept, but adjusted
    repaired: int = 0  # items repaired by the reader (swapped fields, control bytes, markup)
    held: int = 0  # comments and notes waiting for a moderator (see PostRules)
    held_why: Counter = field(default_factory=Counter)

    def as_report(self):
        return {
            "held": self.held,
            "held_why": dict(self.held_why),
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "notes": [{"where": w, "message": m} for w, m in self.notes],
            "unchanged": self.unchanged,
            "repaired": self.repaired,
            "highlights": self.highlights,
            "comments": self.comments,
        }


@dataclass
class _Prepared:
    item: importers.ImportItem
    url: str
    key: str
    tags: list
    date_from_file: bool


def _cut(text, limit):
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prepare(items, outcome, *, strict=False):
    """Validate and normalize every item; fold repeated URLs into their first occurrence.

    An item whose address cannot be read is skipped with its reason (strict: refuses all)."""
    errors = []
    by_key = {}
    now = timezone.now()
    for item in items:
        try:
            url = normalize_url(item.url)
        except InvalidURL as exc:
            errors.append((item.where, f"{exc} ({item.url[:100]})"))
            continue
        for name in ("created_at", "updated_at"):
            value, note = clamp_future(getattr(item, name), now)
            if note:
                setattr(item, name, value)
                outcome.notes.append((item.where, note))
        tags = parse_tags(item.tags)
        if len(tags) > MAX_TAGS:
            outcome.notes.append(
                (item.where, _("only the first %(n)d tags kept") % {"n": MAX_TAGS})
            )
            tags = tags[:MAX_TAGS]
        if len(item.title) > TITLE_MAX:
            outcome.notes.append(
                (item.where, _("title shortened to %(n)d characters") % {"n": TITLE_MAX})
            )
            item.title = _cut(item.title, TITLE_MAX)
        if len(item.description) > DESCRIPTION_MAX:
            outcome.notes.append((item.where, _("description shortened to 10,000 characters")))
            item.description = _cut(item.description, DESCRIPTION_MAX)
        for h in item.highlights:
            h.created_at, _note = clamp_future(h.created_at, now)
            h.exact = _cut(h.exact, EXACT_MAX)
            h.note = _cut(h.note, NOTE_MAX)
            h.prefix = (h.prefix or "")[-CONTEXT_MAX:]
            h.suffix = (h.suffix or "")[:CONTEXT_MAX]
            if h.color not in COLORS:
                h.color = Highlight.Color.YELLOW
            offsets = (h.start, h.end)
            if not (all(type(o) is int for o in offsets) and 0 <= h.start <= h.end < 2**31):
                # a PositiveIntegerField: an offset beyond it would fail the whole import
                h.start = h.end = None
        item.comments = [_cut(c, NOTE_MAX) for c in item.comments]
        for text, value in item.comment_dates.items():
            item.comment_dates[text], _note = clamp_future(value, now)
        date_from_file = item.created_at is not None
        if item.created_at is None:
            item.created_at = now
        key = url_key(url)
        first = by_key.get(key)
        if first is None:
            by_key[key] = _Prepared(item, url, key, tags, date_from_file)
            continue
        # The same address twice in one file: one bookmark, everything united.
        outcome.merged += 1
        outcome.notes.append(
            (item.where, _("same address as %(where)s: merged") % {"where": first.item.where})
        )
        first.tags = (first.tags + [t for t in tags if t not in first.tags])[:MAX_TAGS]
        first.item.title = first.item.title or item.title
        first.item.description = first.item.description or item.description
        if date_from_file and (not first.date_from_file or item.created_at < first.item.created_at):
            first.item.created_at = item.created_at
            first.date_from_file = True
        known = {h.exact for h in first.item.highlights}
        first.item.highlights += [h for h in item.highlights if h.exact not in known]
        first.item.comments += [c for c in item.comments if c not in first.item.comments]
    if errors and strict:
        raise importers.refusal(errors)
    outcome.skipped += errors
    return list(by_key.values())


def import_items(
    user: User,
    items: list,
    *,
    group: Group | None = None,
    skipped: tuple | list = (),
    repairs: tuple | list = (),
    progress: Callable | None = None,
    strict: bool = False,
    private: bool = False,
):
    """Import parsed items for `user` into `group` (None = personal library) in one transaction.

    Each item goes in whole or is skipped with its reason; `strict` refuses the whole file
    instead (ImportFileError, nothing written). `private` makes every item private (personal
    library only). Raises PermissionDenied (may not post there). `progress(done, total)` is
    called after each batch.
    """
    check_can_post(user, group)
    if private and group is not None:
        raise ValidationError(_("Only bookmarks in your own library can be private."))
    outcome = ImportOutcome(skipped=list(skipped), notes=list(repairs))
    outcome.repaired = len({where for where, _message in repairs})
    prepared = _prepare(items, outcome, strict=strict)
    if private:
        for p in prepared:
            p.item.private = True
    total = len(prepared)
    new_page_ids = []
    rules = PostRules(user, group)
    with transaction.atomic(), deferred_vectors():
        for start in range(0, total, BATCH_SIZE):
            batch = prepared[start : start + BATCH_SIZE]
            batch_page_ids, changed_ids = _apply_batch(user, group, batch, outcome, rules)
            new_page_ids += batch_page_ids
            # the search vectors of the bookmarks it changed, in one statement
            if changed_ids:
                reindex_bookmarks(changed_ids)
            if progress is not None:
                # in items of the file (repeated addresses were folded into one)
                done = min(start + BATCH_SIZE, total)
                progress(round(done * len(items) / total), len(items))
        if new_page_ids and len(new_page_ids) <= fetch_new_pages_limit():
            for page_id in new_page_ids:
                transaction.on_commit(lambda page_id=page_id: queue_fetch(page_id))
        # Highlights on pages fetched before: anchor them now (new pages anchor after fetch).
        fetched = outcome.highlighted_page_ids - set(new_page_ids)
        if fetched and len(fetched) <= fetch_new_pages_limit():
            transaction.on_commit(lambda: queue_page_snapshots(fetched))
    if progress is not None and total == 0:
        progress(len(items), len(items))
    return outcome


@dataclass
class _NewBookmark:
    pk: int
    page_id: int


def _apply_batch(user, group, batch, outcome, rules):
    """Write one batch; returns (ids of new pages, ids of existing bookmarks it changed).

    New bookmarks are inserted with their search vectors; the changed ones need a rebuild."""
    keys = [p.key for p in batch]
    pages = dict(Page.objects.filter(_one_of(Page, "url_hash", keys)).values_list("url_hash", "pk"))
    missing = {p.key: {"url": p.url, "url_hash": p.key} for p in batch if p.key not in pages}
    new_page_ids = []
    if missing:
        rows = bulk_insert(
            Page,
            list(missing.values()),
            returning=("id", "url_hash"),
            # a page saved meanwhile by someone else: take its id
            on_conflict="ON CONFLICT (url_hash) DO UPDATE SET url_hash = EXCLUDED.url_hash",
        )
        for page_id, url_hash in rows:
            pages[url_hash] = page_id
            new_page_ids.append(page_id)

    existing = {
        b.page_id: b
        for b in Bookmark.objects.filter(
            _one_of(Bookmark, "page", pages.values()), owner=user, group=group
        ).defer("search_vector")
    }
    now = timezone.now()
    new_ids = iter(_reserve_ids(Bookmark, sum(pages[k] not in existing for k in keys)))
    new_rows, to_update, pending = [], [], []
    for p in batch:
        page_id = pages[p.key]
        bookmark = existing.get(page_id)
        if bookmark is None:
            bookmark = _NewBookmark(next(new_ids), page_id)
            new_rows.append(
                {
                    "id": bookmark.pk,
                    "page_id": page_id,
                    "owner_id": user.pk,
                    "group_id": group.pk if group is not None else None,
                    "title": p.item.title,
                    "description": p.item.description,
                    "tags": p.tags,
                    "private": p.item.private if group is None else False,
                    "unread": p.item.unread,
                    "created_at": p.item.created_at,
                    "updated_at": p.item.updated_at or now,  # LAST_MODIFIED if the file has it
                }
            )
            outcome.created += 1
        else:
            outcome.merged += 1
            if _merge_into(bookmark, p):
                bookmark.updated_at = now
                to_update.append(bookmark)
        pending.append((bookmark, p))
    if to_update:
        Bookmark.objects.bulk_update(
            to_update, ["tags", "title", "description", "created_at", "updated_at"]
        )
    existing_ids = {b.pk for b in existing.values()}
    changed_ids = _add_annotations(user, group, pending, outcome, existing_ids, rules)
    # after their highlights and comments: each new bookmark is written with its search vector
    bulk_insert(Bookmark, new_rows, computed=new_bookmark_vectors(row["id"] for row in new_rows))
    changed_ids |= {b.pk for b in to_update}
    outcome.unchanged += len(existing_ids - changed_ids)
    return new_page_ids, sorted(changed_ids)


def _one_of(model, name, values):
    """The condition `name = ANY(values)` with the values as one array: thousands of
    placeholders of `name__in=` (a batch's addresses, the texts judged for spam) cost more to
    compose on the client, where psycopg splits the query in Python, than the query costs the
    server. A constant array, as IN (…) is, not a subquery: the tables grow inside the import's
    transaction without statistics, and the planner sees how many values there are."""
    f = model._meta.get_field(name)
    column = (
        f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(f.column)}"
    )
    array_type = "bigint[]" if isinstance(f, models.ForeignKey | models.AutoField) else "text[]"
    return RawSQL(  # noqa: S611 - names from the model, values as a parameter
        f"{column} = ANY(%s::{array_type})", [list(values)], output_field=models.BooleanField()
    )


def _reserve_ids(model, count):
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _merge_into(bookmark, prepared):
    """Unite an imported item with the bookmark already there; True when something changed."""
    changed = False
    tags = (bookmark.tags + [t for t in prepared.tags if t not in bookmark.tags])[:MAX_TAGS]
    if tags != bookmark.tags:
        bookmark.tags, changed = tags, True
    if not bookmark.title and prepared.item.title:
        bookmark.title, changed = prepared.item.title, True
    if not bookmark.description and prepared.item.description:
        bookmark.description, changed = prepared.item.description, True
    if prepared.date_from_file and prepared.item.created_at < bookmark.created_at:
        bookmark.created_at, changed = prepared.item.created_at, True
    return changed


# Fields whose values json.dumps writes as the database reads them back from JSON text
# (DateTimeField: as ISO 8601 text).
_JSON_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.FloatField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def bulk_insert(
    model: type,
    rows: list[dict],
    *,
    returning: tuple[str, ...] = (),
    on_conflict: str = "",
    computed: tuple | None = None,
):
    """INSERT … SELECT FROM the rows, one JSON array per column: a dozen parameters for 2,000
    rows.

    `rows` are dicts of field attnames; every other field takes the model's default (as
    `Model()` would: one parameter for all rows), so a field added later needs no change here.
    Django's bulk_create sends one placeholder per value (and cannot insert a set of an
    ArrayField), which costs more on the client than the insert costs the server; so did
    psycopg's text arrays, which quote every string in Python, where json.dumps writes a column
    in C and Postgres reads it back (json_array_elements_text, zipped by ROWS FROM). A field
    json does not carry as is goes over as an array (unnest). `computed` is (column,
    expression, joins, params): one more column whose value the database computes from the
    rows, named `v` with the model's columns (search.indexing.new_bookmark_vectors).
    """
    if not rows:
        return []
    template = model()
    given = rows[0].keys()
    skip = {computed[0]} if computed is not None else set()
    fields = [
        f
        for f in model._meta.concrete_fields
        if (not f.primary_key or f.attname in given) and f.column not in skip
    ]
    columns, selects, select_params, sources, source_params, names = [], [], [], [], [], []
    for n, f in enumerate(fields):
        db_type = f.db_type(connection)
        columns.append(connection.ops.quote_name(f.column))
        if f.attname not in given:
            default = getattr(template, f.attname)
            if default is None and (
                getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ):
                default = timezone.now()
            # the same value for every row: one parameter
            selects.append(f"%s::{db_type}")
            select_params.append(f.get_db_prep_save(default, connection))
            continue
        names.append(f"c{n}")
        values = [row[f.attname] for row in rows]
        if isinstance(f, ArrayField):
            # ragged lists do not fit one 2-D array: a JSON array of each row's list
            sources.append("json_array_elements(%s::json)")
            source_params.append(json.dumps(values))
            selects.append(f"ARRAY(SELECT json_array_elements_text(u.c{n}))::{db_type}")
            continue
        if isinstance(f, models.DateTimeField):
            values = [None if v is None else v.isoformat() for v in values]
        elif not isinstance(f, _JSON_FIELDS):
            sources.append(f"unnest(%s::{db_type}[])")
            source_params.append([f.get_db_prep_save(v, connection) for v in values])
            selects.append(f"u.c{n}")
            continue
        sources.append("json_array_elements_text(%s::json)")
        source_params.append(json.dumps(values))
        selects.append(f"u.c{n}::{db_type}")
    params = select_params + source_params
    from_rows = f"ROWS FROM ({', '.join(sources)}) AS u({', '.join(names)})"
    if computed is None:
        rows_sql = f"SELECT {', '.join(selects)} FROM {from_rows}"  # noqa: S608 - see below
    else:
        column, expression, joins, extra_params = computed
        aliased = ", ".join(f"{sel} AS {col}" for sel, col in zip(selects, columns, strict=True))
        rows_sql = f"SELECT v.*, {expression} FROM (SELECT {aliased} FROM {from_rows}) AS v {joins}"  # noqa: S608 - see below
        columns.append(connection.ops.quote_name(column))
        params += extra_params
    sql = (
        # names and types from the model, expressions from search.indexing, values as parameters
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"{rows_sql} {on_conflict}"
    )
    if returning:
        sql += " RETURNING " + ", ".join(connection.ops.quote_name(c) for c in returning)
    connection.ensure_connection()
    # psycopg's own cursor binds on the server: each JSON column is one text parameter
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def _add_annotations(user, group, pending, outcome, existing_ids, rules):
    """Highlights (with notes) and comments not already on the bookmark; returns touched ids."""
    wanted = [(b, p) for b, p in pending if p.item.highlights or p.item.comments]
    if not wanted:
        return set()
    have_highlights = {}
    have_comments = {}  # (bookmark id, body) -> comment id (None: new, not numbered yet)
    ids = [b.pk for b, _ in wanted if b.pk in existing_ids]
    if ids:
        for h in Highlight.objects.filter(_one_of(Highlight, "bookmark", ids)):
            have_highlights[(h.bookmark_id, h.exact)] = h
        have_comments = {
            (bookmark_id, body): pk
            for pk, bookmark_id, body in Comment.objects.filter(
                _one_of(Comment, "bookmark", ids), author=user
            ).values_list("id", "bookmark_id", "body")
        }
    new_highlights, noted, new_comments, threads, touched = [], [], [], [], set()
    now = timezone.now()  # highlights and comments the file gives no date are dated now
    for bookmark, p in wanted:
        for h in p.item.highlights:
            key = (bookmark.pk, h.exact)
            found = have_highlights.get(key)
            if found is None:
                have_highlights[key] = h  # one quote once per bookmark
                new_highlights.append(
                    {
                        "bookmark_id": bookmark.pk,
                        "author_id": user.pk,
                        "exact": h.exact,
                        "note": h.note,
                        "note_html": _render(h.note),
                        "prefix": h.prefix,
                        "suffix": h.suffix,
                        "start": h.start,
                        "end": h.end,
                        "color": h.color,
                        "created_at": h.created_at or now,
                        "status": Status.VISIBLE,
                        "spam_score": 0.0,
                    }
                )
                outcome.highlighted_page_ids.add(bookmark.page_id)
                touched.add(bookmark.pk)
            elif isinstance(found, Highlight) and h.note and not found.note:
                found.note, found.note_html = h.note, _render(h.note)
                noted.append(found)
                touched.add(bookmark.pk)
        for body in p.item.comments:
            if (bookmark.pk, body) not in have_comments:
                have_comments[(bookmark.pk, body)] = None
                threads.append(p.item.comment_threads.get(body) or (None, None))
                new_comments.append(
                    {
                        "bookmark_id": bookmark.pk,
                        "author_id": user.pk,
                        "body": body,
                        "body_html": _render(body),
                        "created_at": p.item.comment_dates.get(body) or now,
                        "parent_id": None,
                        "highlight_id": None,
                        "status": Status.VISIBLE,
                        "spam_score": 0.0,
                    }
                )
                touched.add(bookmark.pk)
    for model, rows in ((Highlight, new_highlights), (Comment, new_comments)):
        for row, pk in zip(rows, _reserve_ids(model, len(rows)), strict=True):
            row["id"] = pk
    _thread_comments(new_comments, threads, have_comments, have_highlights, new_highlights)
    # a highlight without a note is a quote of the page, not a post (as in create_highlight)
    posts = [(Highlight, row, row["note"]) for row in new_highlights if row["note"]]
    posts += [(Comment, row, row["body"]) for row in new_comments]
    rules.apply(posts, outcome)
    bulk_insert(Highlight, new_highlights)
    if noted:
        Highlight.objects.bulk_update(noted, ["note", "note_html"])
    bulk_insert(Comment, new_comments)
    rules.log_held()
    outcome.highlights += len(new_highlights)
    outcome.comments += len(new_comments)
    return touched & existing_ids


def _thread_comments(new_comments, threads, have_comments, have_highlights, new_highlights):
    """A reply answers the comment it answered in the file, a comment on a highlight is on it
    again (our JSON says so). Only a comment already there or earlier in the file can be a
    parent: no reply answers itself, no loop."""
    quotes = {key: h.pk for key, h in have_highlights.items() if isinstance(h, Highlight)}
    quotes.update({(row["bookmark_id"], row["exact"]): row["id"] for row in new_highlights})
    for row, (parent, quote) in zip(new_comments, threads, strict=True):
        bookmark_id = row["bookmark_id"]
        if parent is not None:
            row["parent_id"] = have_comments.get((bookmark_id, parent))
        if quote is not None:
            row["highlight_id"] = quotes.get((bookmark_id, quote))
        have_comments[(bookmark_id, row["body"])] = row["id"]


# Most distinct linked domains of one batch checked against the moderators' spam labels (one
# query each); a post form checks up to spam_selectors.MAX_DOMAINS_CHECKED per post.
MAX_BATCH_DOMAINS = 50


class PostRules:
    """The rules a comment or note meets when posted from a form or the API, applied to an
    import: the spam verdict (text, model, the group's threshold, the author's context), the
    group's "hold first posts", and the posting limit.

    Decided once per job rather than per post: the author's part of the spam context (account
    age, first post, recent burst) is read once; the per-text parts (copies of the same text,
    texts and domains moderators marked spam) are read once per batch, set-based.
    The posting limit for a bulk import: a group import takes what is left of the member's
    allowance in the current windows (annotations.ratelimit); the posts beyond it are held for
    a moderator, not dropped. A personal library has no audience to flood: only spam is held
    there, as for a comment posted on one's own bookmark.
    """

    def __init__(self, user: User, group: Group | None):
        self.user, self.group = user, group
        self.model = current_spam_model()
        self.threshold = spam_threshold(group)
        self.now = timezone.now()
        self.base = spam_context(author=user, text="", group=group, now=self.now)
        self.hold_first = False
        if group is not None and group.hold_first_posts:
            membership = Membership.objects.filter(group=group, user=user).first()
            self.hold_first = (
                membership is not None
                and membership.post_count == 0
                and not permissions.can(membership.role, "moderate", group)
            )
        self.held_rows = []  # (model, row, text, why) of the batch being written

    def _contexts(self, texts):
        """{text: spam.Context} for the distinct texts of a batch, in a few queries."""
        bodies = {t.strip() for t in texts if len(t.strip()) >= spam.DUPLICATE_MIN_LENGTH}
        copies, marked = Counter(), set()
        if bodies:
            recent = Comment.objects.filter(
                _one_of(Comment, "body", bodies), created_at__gte=self.now - DUPLICATE_WINDOW
            )
            copies.update(recent.values_list("body", flat=True))
            marked.update(
                recent.filter(spam_score__gte=spam.MARKED_SPAM_SCORE).values_list("body", flat=True)
            )
            marked.update(
                SpamLabel.objects.filter(
                    _one_of(SpamLabel, "text", bodies), is_spam=True
                ).values_list("text", flat=True)
            )
        links = {t: {spam.link_domain(u) for u in spam.find_links(t)} for t in texts}
        domains = Counter(d for found in links.values() for d in found if "." in d)
        checked = [d for d, _n in domains.most_common(MAX_BATCH_DOMAINS)]
        marked_domains = set()
        for n in range(0, len(checked), MAX_DOMAINS_CHECKED):
            marked_domains |= spam_domains(set(checked[n : n + MAX_DOMAINS_CHECKED]))
        contexts = {}
        for text in texts:
            body = text.strip()
            copy_marked = body in marked
            contexts[text] = dataclasses.replace(
                self.base,
                copies=0 if copy_marked else copies[body],
                copy_marked_spam=copy_marked,
                spam_domains=frozenset(links[text] & marked_domains),
            )
        return contexts

    def apply(self, posts: list[tuple], outcome: ImportOutcome) -> None:
        """Set status and spam_score on each (model, row, text) of a batch, in place."""
        self.held_rows = []
        if not posts:
            return
        texts = list(dict.fromkeys(text for _model, _row, text in posts))
        contexts = self._contexts(texts)
        verdicts = {
            text: spam.judge(
                text, context=contexts[text], model=self.model, threshold=self.threshold
            )
            for text in texts
        }
        eligible = []
        for model, row, text in posts:
            verdict = verdicts[text]
            row["spam_score"] = verdict.score
            if verdict.is_spam:
                self._hold(model, row, text, verdict.explain(), "spam", outcome)
            elif self.hold_first:
                self._hold(model, row, text, "first post of a new member", "first_post", outcome)
            else:
                eligible.append((model, row, text))
        if self.group is None:
            return
        allowed = take_post_allowance(self.user, len(eligible))
        for model, row, text in eligible[allowed:]:
            self._hold(model, row, text, "over the posting limit", "rate_limit", outcome)
        if allowed:
            # visible posts count as approved ones, as a post from the form does
            Membership.objects.filter(group=self.group, user=self.user).update(
                post_count=models.F("post_count") + allowed
            )

    def _hold(self, model, row, text, why, reason, outcome):
        row["status"] = Status.HELD
        self.held_rows.append((model, row, text, why))
        outcome.held += 1
        outcome.held_why[reason] += 1

    def log_held(self) -> None:
        """The moderation log's "held for review" rows of the batch just written."""
        ModerationLog.objects.bulk_create(
            [
                ModerationLog(
                    group=self.group,
                    actor=None,
                    action="hold",
                    target_type=model.__name__.lower(),
                    target_id=row["id"],
                    target_repr=text[:200],
                    detail=f"import: {why}"[:1000],
                )
                for model, row, text, why in self.held_rows
            ],
            batch_size=BATCH_SIZE,
        )


def _render(body):
    return render_markdown(body)


@dataclass
class ImportPreview:
    """What an import would do, computed without writing: rows of the file and their fate."""

    rows: int
    imported: int
    merged: int
    repaired: int
    skipped: list
    repairs: list = field(default_factory=list)  # [(where, what was repaired)]

    def as_report(self):
        return {
            "rows": self.rows,
            "imported": self.imported,
            "merged": self.merged,
            "repaired": self.repaired,
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "repairs": [{"where": w, "message": m} for w, m in self.repairs],
        }


def preview_import(
    user: User,
    data: bytes,
    *,
    group: Group | None = None,
    folders_as_tags: bool = True,
    strict: bool = False,
):
    """Parse and validate `data` as the import would, and count what it would do; no writes.

    Raises PermissionDenied, ValidationError (the whole file cannot be read, or strict and a
    row is broken)."""
    check_can_post(user, group)
    try:
        parsed = importers.parse(data, folders_as_tags=folders_as_tags, strict=strict)
        outcome = ImportOutcome(skipped=parsed.skipped + parsed.problems)
        prepared = _prepare(parsed.items, outcome, strict=strict)
    except ImportFileError as exc:
        raise ValidationError(exc.errors) from None
    unreadable_urls = len(outcome.skipped) - len(parsed.skipped) - len(parsed.problems)
    keys = [p.key for p in prepared]
    existing = Bookmark.objects.filter(
        owner=user, group=group, page__in=Page.objects.filter(_one_of(Page, "url_hash", keys))
    ).count()
    return ImportPreview(
        rows=len(parsed.items) + len(parsed.skipped) + len(parsed.problems),
        imported=len(parsed.items) - unreadable_urls,
        merged=existing + outcome.merged,
        repaired=len({where for where, _message in parsed.repairs}),
        skipped=outcome.skipped,
        repairs=parsed.repairs,
    )


# --- Import jobs: the upload page and the command create one, a worker runs it ----------------


def progress_key(job_id: int):
    return f"import-job-progress:{job_id}"


def start_import(
    user: User,
    *,
    filename: str,
    data: bytes,
    group: Group | None = None,
    folders_as_tags: bool = True,
    strict: bool = False,
    private: bool = False,
    run_now: bool = False,
):
    """Check the destination and the file, record an ImportJob and queue it on commit.

    Raises PermissionDenied or ValidationError (too large, unknown format) before anything is
    stored. `run_now` runs the job in this process (the management command).
    """
    job = _record_job(
        user,
        filename=filename,
        data=data,
        group=group,
        options={"folders_as_tags": folders_as_tags, "strict": strict, "private": private},
    )
    if run_now:
        run_import_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _queue_job(job.pk))
    return job


def _record_job(user, *, filename, data, group, options, status=ImportJob.Status.PENDING, **report):
    check_can_post(user, group)
    if options["private"] and group is not None:
        raise ValidationError(_("Only bookmarks in your own library can be private."))
    if len(data) > importers.max_import_bytes():
        raise ValidationError(importers.too_large_message(len(data)))
    try:
        file_format = importers.detect_format(importers.decode(data[:65536]))
    except ImportFileError as exc:
        raise ValidationError(exc.errors[0]) from None
    job = ImportJob.objects.create(
        owner=user,
        group=group,
        filename=(filename or "bookmarks")[:255],
        file_format=file_format,
        data=bytes(data),
        status=status,
        report={"options": {name: bool(value) for name, value in options.items()}, **report},
    )
    # job ids restart with a new database: a progress entry left by an older job must not show
    cache.delete(progress_key(job.pk))
    return job


# --- Preview, then Confirm: the web form shows what an import will do before writing ------------

# How long an uploaded file waits for its Confirm; after that it is deleted unread.
PREVIEW_TTL = timedelta(hours=2)


class PreviewGone(Exception):
    """The preview asked for is not there for this user: expired, cancelled, or not theirs."""

    message = gettext_lazy(
        "This import preview is no longer available: it expired, was cancelled, or belongs to "
        "another account. Upload the file again."
    )


def preview_upload(
    user: User,
    *,
    filename: str,
    data: bytes,
    group: Group | None = None,
    folders_as_tags: bool = True,
    strict: bool = False,
    private: bool = False,
):
    """Count what importing `data` would do and keep the file, unwritten, for `confirm_import`.

    The file is stored in its ImportJob row (status "preview", owned by `user`); nothing of it
    reaches the library before Confirm. Raises PermissionDenied or ValidationError (the file
    cannot be read at all, or strict and a row is broken) and then stores nothing.
    """
    _drop_expired_previews(user)
    preview = preview_import(
        user, data, group=group, folders_as_tags=folders_as_tags, strict=strict
    )
    return _record_job(
        user,
        filename=filename,
        data=data,
        group=group,
        options={"folders_as_tags": folders_as_tags, "strict": strict, "private": private},
        status=ImportJob.Status.PREVIEW,
        preview=preview.as_report(),
    )


def _drop_expired_previews(user):
    ImportJob.objects.filter(
        owner=user,
        status=ImportJob.Status.PREVIEW,
        created_at__lt=timezone.now() - PREVIEW_TTL,
    ).delete()


def own_preview(user: User, job_id: int) -> ImportJob:
    """The user's preview `job_id` still waiting for Confirm; raises PreviewGone otherwise."""
    _drop_expired_previews(user)
    job = ImportJob.objects.filter(pk=job_id, owner=user, status=ImportJob.Status.PREVIEW).first()
    if job is None:
        raise PreviewGone()
    return job


def confirm_import(user: User, job_id: int) -> ImportJob:
    """Start the import of a previewed upload (the same stored file: no second upload).

    Confirming twice starts one job: a job already confirmed is returned as it is. Raises
    PreviewGone (expired, cancelled, another user's) and PermissionDenied (no longer allowed to
    post there).
    """
    _drop_expired_previews(user)  # outside the transaction below: an expired one stays gone
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("group")
            .defer("data")
            .filter(pk=job_id, owner=user)
            .first()
        )
        if job is None:
            raise PreviewGone()
        if job.status != ImportJob.Status.PREVIEW:
            return job
        check_can_post(user, job.group)
        job.status = ImportJob.Status.PENDING
        job.save(update_fields=["status"])
        transaction.on_commit(lambda: _queue_job(job.pk))
    return job


def cancel_import(user: User, job_id: int) -> None:
    """Forget a previewed upload (its file with it); someone else's or a started job: nothing."""
    ImportJob.objects.filter(pk=job_id, owner=user, status=ImportJob.Status.PREVIEW).delete()


def _queue_job(job_id):
    # no broker: the page says "waiting"; the job can be run again with the command
    enqueue("transfer.tasks.run_import", job_id)


def run_import_job(job_id: int):
    """Run one ImportJob to the end; safe to run twice (a finished job is left alone)."""
    job = ImportJob.objects.select_related("owner", "group").filter(pk=job_id).first()
    # a preview is written only after its owner's Confirm (confirm_import makes it pending)
    if job is None or job.status in (
        ImportJob.Status.DONE,
        ImportJob.Status.FAILED,
        ImportJob.Status.PREVIEW,
    ):
        return job
    report = job.report if isinstance(job.report, dict) else {}
    options = report.get("options", {})
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total):
        cache.set(progress_key(job.pk), {"done": done, "total": total}, timeout=3600)

    try:
        strict = options.get("strict", False)
        parsed = importers.parse(
            bytes(job.data), folders_as_tags=options.get("folders_as_tags", True), strict=strict
        )
        job.file_format = parsed.file_format
        job.total = len(parsed.items) + len(parsed.problems)
        job.save(update_fields=["file_format", "total"])
        progress(0, job.total)
        outcome = import_items(
            job.owner,
            parsed.items,
            group=job.group,
            skipped=parsed.skipped + parsed.problems,
            repairs=parsed.repairs,
            progress=progress,
            strict=strict,
            private=options.get("private", False),
        )
    except ImportFileError as exc:
        return _finish(job, ImportJob.Status.FAILED, report, errors=exc.errors)
    except (PermissionDenied, ValidationError) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _finish(job, ImportJob.Status.FAILED, report, errors=errors)
    except IntegrityError:
        # the same address saved into this library while the import ran: nothing was written
        message = _("The library changed while importing; nothing was imported. Try again.")
        return _finish(job, ImportJob.Status.FAILED, report, errors=[message])
    except DataError:
        # a value the database refuses that the readers did not catch: still the file's
        logger.exception("import job %s: data refused by the database", job.pk)
        message = _(
            "A value in the file cannot be stored (for example a number far out of range); "
            "nothing was imported."
        )
        return _finish(job, ImportJob.Status.FAILED, report, errors=[message])
    except Exception:
        # our fault, not the file's: no internal detail for the user, all of it in the log
        logger.exception("import job %s failed", job.pk)
        message = _(
            "The import stopped because of a problem on our side; nothing was imported. "
            "Please try again later."
        )
        _finish(job, ImportJob.Status.FAILED, report, errors=[message])
        raise
    job.created = outcome.created
    job.merged = outcome.merged
    job.skipped = len(outcome.skipped)
    job.done = job.total
    return _finish(job, ImportJob.Status.DONE, {**report, **outcome.as_report()})


def _finish(job, status, report, errors=()):
    job.status = status
    if errors:
        job.error = _("Nothing was imported: the file has problems.")
        report = {**report, "errors": list(errors)}
        job.created = job.merged = job.skipped = job.done = 0
    job.report = report
    job.finished_at = timezone.now()
    job.data = b""  # up to 50 MB that nobody needs once the job is over
    job.save()
    cache.delete(progress_key(job.pk))
    return job


def job_progress(job: ImportJob):
    """(done, total) of a job, live while it runs (the counts are written when it ends).

    No live entry for a running job: it may have ended between reading the job and reading
    the cache (the worker deletes the entry once the counts are saved), so the job is read
    again, in place, and the page shows the end rather than a bar back at 0.
    """
    if job.status == ImportJob.Status.RUNNING:
        live = cache.get(progress_key(job.pk))
        if live:
            return live["done"], live["total"]
        job.refresh_from_db()
    return job.done, job.total

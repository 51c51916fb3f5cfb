"""Search reads: keyword filtering, relevance ordering, marked titles and snippets, facets,
and the /search/ results across bookmarks and topics. Visibility is always part of the SQL.

Performance decisions (measured by bench/search.py, see DESIGN.md "Search at scale"):
- counts stop at COUNT_CAP: an exact count of a common word re-reads every matching row;
- relevance ranks a bounded candidate set — the newest matches plus the newest matches in
  title/tags (through an index on the A-weighted part of the vector) — so title and tag
  matches come first without ranking tens of thousands of rows;
- facets count tags over at most FACET_SAMPLE of the newest results.
"""

import copy
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from time import monotonic

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Left, NullIf
from django.db.models.sql import Query
from django.urls import NoReverseMatch
from django.utils import timezone

from accounts.models import User
from accounts.types import Viewer
from annotations.models import Comment, Highlight
from annotations.selectors import with_counts
from bookmarks.models import Bookmark, Page
from bookmarks.selectors import listed_rows, visibility_q, with_text_sizes
from config import positions
from groups.models import Group, Topic
from groups.selectors import readable_groups

from .group_indexes import group_index_rows
from .query import ParsedQuery, fold_german, parse
from .recent_index import recent_cutoff

COUNT_CAP = 1000
# how many matches a relevance sort ranks (search_items): the first 25 pages of 20, the
# first 5 of the API's largest; ranking each costs 10-18 us (the vector read again, ts_rank,
# the title parsed for its bonus), and 1,001 of them were a fifth of a common search
RANKED = 500
CANDIDATES = 1000
FACET_SAMPLE = 1000
# ts_rank weights in {D, C, B, A} order: title and tags dominate, page text counts little
WEIGHTS = [0.05, 0.2, 0.4, 1.0]
SNIPPET_OPTIONS = 'MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
TITLE_OPTIONS = "HighlightAll=true"


def _parsed(q):
    return q if isinstance(q, ParsedQuery) else parse(q)


# --- tsquery -----------------------------------------------------------------------------


def _term_query(term):
    """One word: its unstemmed form (as a prefix) or its French, English or German stem; or a
    phrase.

    Only words made of letters and digits (query.words_of) reach to_tsquery, so the raw
    search type cannot be abused; values are bound parameters, never concatenated into SQL.
    """
    if term.phrase:
        return SearchQuery(fold_german(term.text), config="simple_unaccent", search_type="phrase")
    return WordQuery(term.words[0], prefix=term.prefix)


class WordQuery(SearchQuery):
    """search_word_query(word, prefix): the word's unaccented form (a prefix when asked) or
    its French or English stem, each lexeme once (search/migrations/0008 says why)."""

    def __init__(self, word, *, prefix: str):
        super().__init__(word, search_type="raw")
        self.function = "search_word_query"
        self.set_source_expressions([Value(word), Value(bool(prefix))])


def _any_of(terms):
    query = None
    for term in terms:
        part = _term_query(term)
        query = part if query is None else query | part
    return query


def positive_tsquery(parsed: ParsedQuery):
    """What must match (AND of ORs), or None when the query has no words.

    The rarest clause comes first: a row is checked left to right and rejected as soon as a
    clause fails, which is most rows when the rare clause is checked first.
    """
    cached = getattr(parsed, "_tsquery", None)
    if cached is not None:
        return cached
    query = None
    lexemes = _common_elements()[0] if len(parsed.clauses) > 1 else {}
    for clause in sorted(parsed.clauses, key=lambda clause: _clause_share(clause, lexemes)):
        part = _any_of(clause)
        query = part if query is None else query & part
    return query


def excluded_tsquery(parsed: ParsedQuery):
    cached = getattr(parsed, "_excluded_tsquery", None)
    if cached is not None:
        return cached
    return _any_of(parsed.excluded) if parsed.excluded else None


class LiteralQuery(SearchQuery):
    """A tsquery already built, passed as its text: the queries of a search then carry no
    function calls for the planner to fold (search_word_query's dictionaries cost about 2 ms
    of planning per query)."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return "%s::tsquery", [self.source_expressions[0].value]


# the tsqueries a search's words build: the functions building them are immutable (they
# read the text search configurations only), so each process keeps what it built
_RESOLVED = {}
RESOLVED_MAX = 5_000


def resolve_tsqueries(parsed: ParsedQuery):
    """Build the search's tsqueries once, in one round trip, and keep them on `parsed` as
    literals for every query that follows."""
    built = [
        (name, query)
        for name, query in (
            ("_tsquery", positive_tsquery(parsed)),
            ("_excluded_tsquery", excluded_tsquery(parsed)),
        )
        if query is not None and not isinstance(query, LiteralQuery)
    ]
    if not built:
        return
    compiler = Query(Bookmark).get_compiler(connection=connection)
    parts, params = [], []
    for _name, query in built:
        sql, query_params = query.resolve_expression(compiler.query).as_sql(compiler, connection)
        parts.append(f"({sql})::text")
        params += query_params
    statement = f"SELECT {', '.join(parts)}"
    key = (statement, *map(str, params))
    texts = _RESOLVED.get(key)
    if texts is None:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            texts = cursor.fetchone()
        if len(_RESOLVED) >= RESOLVED_MAX:
            _RESOLVED.clear()
        _RESOLVED[key] = texts
    for (name, _query), text in zip(built, texts, strict=True):
        setattr(parsed, name, LiteralQuery(text))


class TitleVector(Func):
    """The title-and-tags (weight A) part of a vector; an expression index makes it fast."""

    template = "ts_filter(%(expressions)s, '{a}'::\"char\"[])"
    output_field = SearchVectorField()


class InWeights(Func):
    """vector @@ search_weight_query(query, weights): the query matches within those weights
    (search/migrations/0009), e.g. "A": in the title and tags."""

    output_field = BooleanField()

    def __init__(self, vector: str, query: SearchQuery | str, weights):
        super().__init__(vector, query, Value(weights))

    def as_sql(self, compiler, connection, **extra_context):
        (vector, v_params), (query, q_params), (weights, w_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return f"({vector} @@ search_weight_query({query}, {weights}))", [
            *v_params,
            *q_params,
            *w_params,
        ]


class Marked(Func):
    """search_marked(doc, query, options): escaped HTML with <mark> around matched words."""

    function = "search_marked"
    output_field = TextField()


def _text_filter(parsed, vector="search_vector"):
    q = Q()
    positive = positive_tsquery(parsed)
    if positive is not None:
        q &= Q(**{vector: positive})
    excluded = excluded_tsquery(parsed)
    if excluded is not None:
        q &= ~Q(**{vector: excluded})
    return q


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _date_filter(parsed, field_name="created_at"):
    q = Q()
    if parsed.after:
        q &= Q(**{f"{field_name}__gte": _day_start(parsed.after)})
    if parsed.before:
        q &= Q(**{f"{field_name}__lt": _day_start(parsed.before)})
    return q


def _site_q(domain):
    # the domain itself and its subdomains; re-escaped for a POSIX regex, passed as a parameter
    escaped = domain.replace(".", r"\.").replace("-", r"\-")
    return Q(
        page__url__iregex=rf"^[a-z][a-z0-9+.-]*://([^/@]*@)?([^/]*\.)?{escaped}(:[0-9]+)?(/|$)"
    )


def visible_highlights_exist():
    return Exists(Highlight.objects.filter(bookmark=OuterRef("pk"), status="visible"))


def visible_comments_exist(field_name: str = "bookmark"):
    return Exists(
        Comment.objects.filter(
            **{field_name: OuterRef("pk")},
            status="visible",
            thread_status="visible",
            is_deleted=False,
        )
    )


# --- bookmarks (the contract with the library pages) ------------------------------------


def filter_by_keyword(queryset: QuerySet, q: str, *, marks: bool = True):
    """Bookmarks of `queryset` matching the query (words, phrases, operators), with
    `title_marked` and `snippet` unless marks=False."""
    parsed = _parsed(q)
    if parsed.is_empty:
        return queryset
    if not parsed.wants("bookmark"):
        return queryset.none()
    queryset = queryset.filter(_text_filter(parsed), _date_filter(parsed))
    for tag in parsed.tags:
        queryset = queryset.filter(tags__contains=[tag])
    for tag in parsed.excluded_tags:
        queryset = queryset.exclude(tags__contains=[tag])
    if parsed.users:
        users = Q()
        for username in parsed.users:
            users |= Q(owner__username__iexact=username)
        queryset = queryset.filter(users)
    if parsed.sites:
        sites = Q()
        for domain in parsed.sites:
            sites |= _site_q(domain)
        queryset = queryset.filter(sites)
    if parsed.is_unread:
        queryset = queryset.filter(unread=True)
    if parsed.has_highlights:
        queryset = queryset.filter(visible_highlights_exist())
    if parsed.has_comments:
        queryset = queryset.filter(visible_comments_exist())
    return with_marks(queryset, parsed) if marks else queryset


def with_marks(queryset: QuerySet, q: str):
    """Annotate `title_marked` and `snippet` (safe HTML: escaped text, <mark>ed words).

    Postgres evaluates these costly expressions after ORDER BY/LIMIT, so only shown rows pay.
    """
    parsed = _parsed(q)
    query = positive_tsquery(parsed)
    if query is None:
        return queryset
    # subqueries, not joins: the filter and ranking queries built on this queryset stay
    # page-free, and Postgres evaluates these only for the rows of the page shown
    page = Page.objects.filter(pk=OuterRef("page_id"))
    # no title at all: nothing to mark, the template shows the one made from the URL
    page_title = Subquery(page.values(t=NullIf("title", Value("")))[:1], output_field=TextField())
    # as much page text as the vector indexes (search/migrations/0002)
    page_text = Subquery(page.values(t=Left("text", 10000))[:1], output_field=TextField())
    title = Coalesce(NullIf("title", Value("")), page_title, output_field=TextField())
    return queryset.annotate(
        title_marked=Marked(title, query, Value(TITLE_OPTIONS)),
        # description, visible highlights, notes and comments, then the page text
        snippet=Func(
            F("pk"),
            "description",
            page_text,
            query,
            Value(SNIPPET_OPTIONS),
            function="search_snippet",
            output_field=TextField(),
        ),
    )


class Rank(Func):
    """ts_rank(weights, vector, query, normalization), the weights given as float8[].

    Called as itself, not through search_rank (search/migrations/0010), a PL/pgSQL wrapper
    whose high COST kept it after the ORDER BY/LIMIT: the queries rank their kept rows in an
    outer query now (_matches), and each call of the wrapper cost 5 us more than ts_rank
    (500 rows: 5.5 ms, 3 ms)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        (weights, w_params), *rest = (compiler.compile(e) for e in self.get_source_expressions())
        others = ", ".join(sql for sql, _params in rest)
        params = [*w_params, *(p for _sql, params in rest for p in params)]
        return f"ts_rank(({weights})::real[], {others})", params


def _outside_quotes(text):
    """(index, character, parenthesis depth before it) of each character of a tsquery's
    text that is not inside a quoted lexeme (where '' is a quote)."""
    depth, quoted = 0, False
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted  # a doubled quote toggles twice
        elif not quoted:
            yield i, c, depth
            depth += 1 if c == "(" else -1 if c == ")" else 0


def _split(text, operator):
    """`text` cut at each `operator` character outside quotes and parentheses."""
    cuts = [i for i, c, depth in _outside_quotes(text) if c == operator and depth == 0]
    return [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


def _unwrapped(text):
    """`text` without parentheses around all of it."""
    text = text.strip()
    while (
        text.startswith("(")
        and text.endswith(")")
        and not any(
            c == ")" and depth == 1 for i, c, depth in _outside_quotes(text) if i < len(text) - 1
        )
    ):
        text = text[1:-1].strip()
    return text


def title_words(tsquery_text: str) -> list[str] | None:
    """Words of which a title must hold one to match the query (the title is parsed without
    stems: only unstemmed lexemes match it), so one of which its lower-cased, unaccented text
    must hold: of the first AND operand of the tsquery, one word per alternative (of a
    phrase, its longest word: "de" is in every French title). None when the text cannot
    tell."""
    first = _unwrapped(_split(_unwrapped(tsquery_text), "&")[0])
    words = []
    for alternative in _split(first, "|"):
        lexemes = [m.replace("''", "'") for m in re.findall(r"'((?:[^']|'')*)'", alternative)]
        if any("\\" in lexeme for lexeme in lexemes):
            return None
        plain = [lexeme for lexeme in lexemes if not lexeme.startswith("~")]
        if "|" in alternative:  # an OR inside: any of its words
            words += plain
        elif len(plain) == len(lexemes) and plain:  # one word, or all of them (a phrase)
            words.append(max(plain, key=len))
        # an alternative needing a stem never matches a title
    return words


class InTitle(Func):
    """The query matches the title itself (not only the tags, which share its weight A).

    Parsing the title is most of a ranked row's cost (500 rows: 5 ms): a resolved query first
    asks whether the title's unaccented text holds one of the words it needs at all
    (title_words), which most titles of a tag match do not (the same answer, 2 ms)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (title, t_params), (query, q_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        # folded as the vector is (search_fold: "Überwachung" is indexed as ueberwachung)
        title = f"search_fold({title})"
        matched = f"(to_tsvector('simple_unaccent'::regconfig, {title}) @@ {query})"
        params = [*t_params, *q_params]
        resolved = self.get_source_expressions()[1]
        words = None
        if isinstance(resolved, LiteralQuery):
            words = title_words(resolved.source_expressions[0].value)
        if words is None:
            return matched, params
        if not words:  # the words it needs are all stems: no title holds them
            return "false", []
        pattern = "|".join(re.escape(word) for word in words)
        return f"(unaccent(lower({title})) ~ %s AND {matched})", [*t_params, pattern, *params]


# Relevance is tiered: the word in the title, then only in the tags, then only in the body
# (description, highlights, notes, comments, url, page text). ts_rank alone does not keep
# the tiers: title and tags are one weight-A part of the vector, a short tag list ranks a
# tag above a title, and a long page sinks a tag match under a short description (its rank
# is divided by the document's log length). ts_rank with these weights and normalization 1
# stays under 2, so a bonus of 2 per tier keeps each tier above the next; within a tier the
# weights order the matches.
TIER_BONUS = 2.0
TITLE_BONUS = 2 * TIER_BONUS  # in the title
TAG_BONUS = TIER_BONUS  # in the weight-A part (the tags) but not in the title


def _title_of(model):
    if model is Bookmark:
        page_title = Subquery(Page.objects.filter(pk=OuterRef("page_id")).values("title")[:1])
        return Coalesce(NullIf("title", Value("")), page_title, Value(""), output_field=TextField())
    return Coalesce("title", Value(""), output_field=TextField())


def rank_expression(
    query: SearchQuery | str,
    vector: str = "search_vector",
    *,
    model: type = None,
    in_title: Expression | None = None,
):
    """`in_title`: whether the row matches in weight A, when the rows carry it already."""
    # normalization 1: divide by 1 + log(document length), so long pages do not win by size
    weights = Cast(Value(WEIGHTS, output_field=ArrayField(FloatField())), ArrayField(FloatField()))
    rank = Rank(weights, F(vector), query, Value(1))
    if model is None:
        return rank
    # still one costly expression: Postgres computes it after the sort and LIMIT
    # the title is in the weight-A part: parsing the title again (InTitle) is only worth it
    # for the rows matching there, a few of the ranked ones when the words are common
    in_weight_a = InWeights(F(vector), query, "A") if in_title is None else in_title
    bonus = Case(
        When(~in_weight_a, then=Value(0.0)),
        When(InTitle(_title_of(model), query), then=Value(TITLE_BONUS)),
        default=Value(TAG_BONUS),
        output_field=FloatField(),
    )
    return rank + bonus


def relevance_candidates(queryset: QuerySet, query: SearchQuery | str, candidates: int):
    """The ids worth ranking: the newest `candidates` matches and the newest `candidates`
    matches in title or tags (through the index on the weight-A part of the vector)."""
    ids = queryset.order_by("-created_at", "-id").values("pk")
    in_title = ids.alias(title_vector=TitleVector("search_vector")).filter(title_vector=query)
    return ids[:candidates].union(in_title[:candidates])


def order_by_relevance(queryset: QuerySet, q: str, candidates: int = CANDIDATES):
    """Order a filter_by_keyword() queryset by relevance, ties by date (newest first).

    Every match stays in the result, so any page can be reached. With few matches (up to
    `candidates`) all are ranked; with many, only relevance_candidates() are ranked and come
    first, the other matches follow newest first — ranking tens of thousands of long vectors
    is what made relevance slow, not finding the matches.
    """
    parsed = _parsed(q)
    query = positive_tsquery(parsed)
    if query is None:
        return queryset.annotate(rank=Value(0.0)).order_by("-created_at", "-id")
    rank = rank_expression(query, model=queryset.model)
    if capped_count(queryset, candidates)[1]:
        rank = Case(
            When(pk__in=relevance_candidates(queryset, query, candidates), then=rank),
            default=Value(-1.0),
            output_field=FloatField(),
        )
    return queryset.annotate(rank=rank).order_by("-rank", "-created_at", "-id")


# --- /search/ ------------------------------------------------------------------------------


def scoped_bookmarks(
    viewer: Viewer, *, group: Group | None = None, owner: User = None, scope: str = "all"
):
    """The bookmarks a search may look at: one group, one person's library, or everything the
    viewer may see. The group is expected to come from groups.selectors.get_readable_group."""
    qs = Bookmark.objects.all()
    if group is not None:
        return qs.filter(group=group, hidden=False).filter(
            group__in=readable_groups(viewer).values("pk")
        )
    if owner is not None or scope == "mine":
        owner = owner if owner is not None else viewer
        if owner is None or not owner.is_authenticated:
            return qs.none()
        return qs.filter(owner=owner, group__isnull=True).filter(visibility_q(viewer))
    return qs.filter(visibility_q(viewer))


def scoped_topics(
    viewer: Viewer, *, group: Group | None = None, owner: User = None, scope: str = "all"
):
    qs = Topic.objects.filter(status=Topic.Status.VISIBLE)
    if owner is not None or scope == "mine":
        return qs.none()
    qs = qs.filter(group__in=readable_groups(viewer).values("pk"))
    if group is not None:
        qs = qs.filter(group=group)
    return qs


def filter_topics(queryset: QuerySet, q: str):
    """Topics of `queryset` matching the query; bookmark-only filters (tag:, site:, is:unread,
    has:highlights) match no topic."""
    parsed = _parsed(q)
    if not parsed.wants("topic") or parsed.is_empty:
        return queryset.none() if not parsed.wants("topic") else queryset
    if parsed.tags or parsed.sites or parsed.is_unread or parsed.has_highlights:
        return queryset.none()
    queryset = queryset.filter(_text_filter(parsed), _date_filter(parsed))
    if parsed.users:
        users = Q()
        for username in parsed.users:
            users |= Q(author__username__iexact=username)
        queryset = queryset.filter(users)
    if parsed.has_comments:
        queryset = queryset.filter(visible_comments_exist("topic"))
    return queryset


@dataclass
class Result:
    kind: str  # "bookmark" or "topic"
    item: object
    created_at: datetime
    rank: float = 0.0
    pk: int | None = None  # the item's id (the item may be a presenter's dict)

    @property
    def title_marked(self):
        return getattr(self.item, "title_marked", None)

    @property
    def snippet(self):
        return getattr(self.item, "snippet", None)

    @property
    def url(self):
        try:
            return self.item.get_absolute_url()
        except NoReverseMatch:  # the topic page may not be wired yet: fall back to its group
            return self.item.group.get_absolute_url()


@dataclass
class SearchResults:
    query: ParsedQuery
    items: list
    page: int
    per_page: int
    count: int  # capped at COUNT_CAP + 1 ...
    count_capped: bool  # ... in which case this is True ("1000+")
    facets: list = field(default_factory=list)
    more: bool = False  # an item follows this page (also past the capped count)
    # the sort key of the row before the page (asked by number), to resume at this page
    key_before: list | None = None

    @property
    def has_next(self):
        return self.more

    @property
    def last_key(self):
        """The sort key of the page's last item, to resume after it (search_items(after=))."""
        if not self.items:
            return None
        last = self.items[-1]
        return [last.rank, last.created_at, last.pk, last.kind]

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def start(self):
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def end(self):
        return self.start + len(self.items) - 1 if self.items else 0


_STATS = {"at": -1e9, "lexemes": {}, "tags": {}, "rows": 0.0}
# cost of checking one row while walking a date index, relative to one GIN posting entry
ROW_CHECK_COST = 5


def _common_elements():
    """Postgres' own statistics of the most common lexemes and tags, {element: share of
    rows}, refreshed every ten minutes (they only change with ANALYZE)."""
    now = monotonic()
    if now - _STATS["at"] > 600:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats WHERE tablename = 'bookmarks_bookmark' "
                "AND attname IN ('search_vector', 'tags')"
            )
            rows = {
                name: dict(zip(elems or (), freqs or (), strict=False))
                for name, elems, freqs in cursor.fetchall()
            }
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'bookmarks_bookmark'")
            total = cursor.fetchone()
        _PREFIX_SHARES.clear()
        _STATS.update(
            at=now,
            lexemes=rows.get("search_vector", {}),
            tags=rows.get("tags", {}),
            rows=max(0.0, float(total[0])) if total else 0.0,
        )
    return _STATS["lexemes"], _STATS["tags"]


def _plain(word):
    return "".join(
        c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
    ).lower()


_PREFIX_SHARES = {}


def _term_shares(term, lexemes):
    """The estimated share of rows holding each word of a term."""
    shares = []
    for word in term.words:
        word = _plain(word)
        if term.prefix:
            # summed over the statistics' lexemes: kept for the statistics' lifetime
            # (the statistics dict is kept in the entry: its id cannot be reused meanwhile)
            cached = _PREFIX_SHARES.get((id(lexemes), word))
            if cached is None or cached[0] is not lexemes:
                if len(_PREFIX_SHARES) > 10_000:
                    _PREFIX_SHARES.clear()
                share = sum(f for lex, f in lexemes.items() if lex.startswith(word))
                cached = _PREFIX_SHARES[(id(lexemes), word)] = (lexemes, share)
            shares.append(cached[1])
        else:
            shares.append(lexemes.get(word, 0.0))
    return shares


def _clause_share(clause, lexemes):
    """The estimated share of rows matching one clause (terms joined by OR)."""
    return min(1.0, sum(min(_term_shares(term, lexemes), default=0.0) for term in clause))


def estimated_shares(parsed: ParsedQuery):
    """(share of bookmarks the query matches, summed share of its terms), estimated from the
    statistics; words and tags not among the most common count as rare."""
    lexemes, tags = _common_elements()
    density, summed = 1.0, 0.0
    for clause in parsed.clauses:
        density *= _clause_share(clause, lexemes)
        summed += sum(sum(_term_shares(term, lexemes)) for term in clause)
    for tag in parsed.tags:
        density *= tags.get(tag, 0.0)
        summed += tags.get(tag, 0.0)
    return density, summed


# what reading one match found through GIN costs besides its posting entry, in posting
# entries: its row, and by relevance the check of its vector's weight-A part too (the title
# and tag matches are read first, _matches), which reads the whole vector (measured in the
# 1M bench's big group: a prefix matching a sixth of it, 80 ms through GIN, 40 ms walking)
MATCH_COST = {False: 1, True: 5}


def is_dense(parsed: ParsedQuery, rows: int | None = None, *, ranked: bool = False):
    """Whether walking the date index (checking ~COUNT_CAP / density rows) is cheaper than
    reading the terms' GIN posting lists (their summed share of the `rows` an index holds:
    every bookmark, or a big group's own index, search.group_indexes) and the matches they
    list (`ranked`: for a relevance sort)."""
    if not parsed.has_text and not parsed.tags:
        return False
    if any(term.phrase for clause in parsed.clauses for term in clause):
        # a phrase matches far fewer rows than its words (measured: GIN and recheck 63 ms,
        # a date-index walk 0.9 s in the 100,000-item group)
        return False
    density, summed = estimated_shares(parsed)
    if density <= 0:
        return False
    rows = _STATS["rows"] if rows is None else rows
    # a row holding tags only is checked without reading its vector
    check_cost = ROW_CHECK_COST if parsed.has_text else ROW_CHECK_COST / 2
    through_gin = summed * rows + density * rows * MATCH_COST[ranked]
    return (COUNT_CAP + 1) / density * check_cost < through_gin


def capped_count(queryset: QuerySet, cap: int | None = None):
    """(count, capped): stop counting after `cap` (default COUNT_CAP) rows."""
    cap = COUNT_CAP if cap is None else cap
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


# a dense query walks the date index: short LIMITed walks, where starting parallel workers
# costs more than it saves
_WALK = ["SET LOCAL enable_bitmapscan = off", "SET LOCAL max_parallel_workers_per_gather = 0"]
# matches expected among the newest rows for which their own index is worth reading: below,
# the whole table's index is as cheap; above, the date walk finds the newest matches sooner
RECENT_MATCHES_MAX = 25_000


def _recent_slice(parsed, limit):
    """The cutoff of the newest rows' own index (search.recent_index) when a search of
    everything should read it first: when they should hold the `limit` newest matches
    without holding so many that reading them all costs more than a walk."""
    cutoff = recent_cutoff()
    if cutoff is None or not parsed.has_text:
        return None
    density, _summed = estimated_shares(parsed)
    expected = density * settings.SEARCH_RECENT_ROWS
    return cutoff if 1.5 * limit <= expected <= RECENT_MATCHES_MAX else None


# The rank of a match past the first RANKED (unranked), by where the read order puts it: a
# dense query's date walk reads newest first (WALKED); a read through GIN takes the title and
# tag matches first (IN_TITLE), then the others (IN_BODY). Below every real rank (>= 0), and
# within one value created_at and id keep the read order, so the order (rank, created_at, id)
# of the unranked matches is the read order itself, whatever page is asked.
WALKED, IN_TITLE, IN_BODY = -1.0, -3.0, -5.0


def unranked_part(rank: float | None) -> float | None:
    """WALKED, IN_TITLE or IN_BODY when `rank` (a cursor's) is an unranked match's, else None
    (an older cursor's unranked rank, -1 minus the position, reads as WALKED)."""
    if rank is None or rank >= 0:
        return None
    return WALKED if rank > -2 else IN_TITLE if rank > -4 else IN_BODY


def _later(at, pk):
    """Rows after (created_at, id) newest first; the bound on the first column alone lets
    the date index seek to it."""
    return Q(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk), created_at__lte=at)


def _matches(queryset, parsed, sort, limit, window, dense, after=None, tail=False, skip=0, drop=0):
    """The first `window` matches in the requested order, as (pk, created_at, rank) rows,
    and how many matches were found, up to `limit` (> COUNT_CAP: the count is capped).

    The first `limit` matches are read newest first. Rare and moderately common queries are
    read through the GIN indexes and sorted (an expression, not the column, is sorted: no
    index can provide that order, so the planner never walks the date index looking for rows
    that are not there). Dense ones walk the date index (the caller turned bitmap scans off)
    and stop after `limit` matches. By relevance, when they are read through GIN, the title
    and tag matches come first, so the ranked set holds them even with many matches (a dense
    query's walk gives the newest matches only: they hold plenty of title matches); the rows
    kept are ranked after the sort and LIMIT (ts_rank: the first RANKED of them, read again
    by address, none when the page asked is past them all). The database then keeps the
    `window` best of them and counts them all: a page's 20 rows travel, not 1,001.

    `after` (rank, created_at, pk) resumes after a row of an earlier page: by date the
    matches are read from that key on (an index seek, however deep). By relevance, after a
    ranked row the same ranked set is kept and only the rows after the key in it travel;
    after an unranked one (`tail`: the key is of this kind) the matches are read from the
    key on in the read order (WALKED, IN_TITLE, IN_BODY), nothing ranked nor counted, so a
    deep relevance page costs what a date page costs. `skip` (a page number past the ranked
    matches, RANKED < skip < window) reads the read order's rows from `skip` to `window` the
    same way: their position there is their position in the relevance order. `drop` leaves
    out the first rows of the window in the database (a page number: the rows that cannot
    be on it nor be the one before it stay there, counted all the same).
    """
    query = positive_tsquery(parsed)
    if dense:
        newest_first = ("-created_at", "-id")
    else:
        newest_first = ((F("created_at") + Value(timedelta(0))).desc(), F("id").desc())
    ranked = sort == "relevance" and query is not None
    if ranked and not dense:
        queryset = queryset.annotate(in_title=InWeights(F("search_vector"), query, "A"))
        newest_first = (F("in_title").desc(), *newest_first)
    if ranked and (tail or skip):
        if tail:
            part = unranked_part(after[0])
            later = _later(*after[1:3])
            if part == IN_TITLE and not dense:
                queryset = queryset.filter(Q(in_title=True) & later | Q(in_title=False))
            elif part == IN_BODY and not dense:
                queryset = queryset.filter(later, in_title=False)
            else:
                queryset = queryset.filter(later)
        columns = ("pk", "created_at") if dense else ("pk", "created_at", "in_title")
        rows = queryset.order_by(*newest_first).values_list(*columns)[skip:window]
        rows = [
            {
                "pk": row[0],
                "created_at": row[1],
                "rank": WALKED if dense else IN_TITLE if row[2] else IN_BODY,
            }
            for row in rows
        ]
        return rows, skip + len(rows) if rows else 0
    resume, resume_params = "", []
    columns = ["pk", "created_at"]
    if ranked:
        best_first = "t.rank DESC, t.created_at DESC, t.pk DESC"
        if after is not None:
            resume, resume_params = "WHERE (t.rank, t.created_at, t.pk) < (%s, %s, %s) ", after
        if not dense:
            columns.append("in_title")
        # the row's address travels with its key, not what the rank is computed from: the
        # sort of thousands of matches moves narrow rows, and the ranked ones are read again
        # by address (see below)
        model = queryset.model
        table = connection.ops.quote_name(model._meta.db_table)
        # a page past the ranked matches leaves them all in the database (drop): they come
        # first whatever their ranks, and unranked they keep their read order, which puts
        # the same rows after them; nothing shown needs a rank then (page 50: 6-9 ms less)
        ranks = drop < RANKED
        if ranks:
            queryset = queryset.annotate(tid=RawSQL(f"{table}.ctid", (), TextField()))  # noqa: S611 - a quoted table name
            columns.append("tid")
    else:
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
        columns.append("rank")
        best_first = "t.created_at DESC, t.pk DESC"
        if after is not None:
            queryset = queryset.filter(_later(*after[1:3]))
    first = queryset.order_by(*newest_first).values(*columns)[:limit]
    sql, params = first.query.sql_with_params()
    if ranked:
        # Only the first RANKED matches (in the read order above) are ranked; the others
        # follow them in that order (WALKED, IN_TITLE, IN_BODY). A total order that does not
        # depend on the page asked, so a cursor resumes it exactly and deep pages never
        # reshuffle the first ones. The rank is computed once that order is known, for the
        # first RANKED rows only (not for the `limit` read, a deep page's thousands), each
        # read again by its address in the same statement (the same row version): a TID
        # scan, cheaper than carrying its vector through the sort.
        unranked = (
            f"{WALKED}::float8"
            if dense
            else f"(CASE WHEN o.in_title THEN {IN_TITLE} ELSE {IN_BODY} END)::float8"
        )
        if ranks:
            query_of_model = model._base_manager.all().query
            compiler = query_of_model.get_compiler(connection=connection)
            # read through GIN, the rows carry whether they match in weight A (their sort key)
            in_title = None if dense else RawSQL("o.in_title", (), BooleanField())
            rank = rank_expression(query, model=model, in_title=in_title)
            rank_sql, rank_params = compiler.compile(rank.resolve_expression(query_of_model))
            sql = (
                f"SELECT o.pk, o.created_at, CASE WHEN o.n <= %s "  # noqa: S608 - compiled by Django, values bound
                f"THEN coalesce((SELECT {rank_sql} FROM {table} WHERE {table}.ctid = o.tid), 0) "
                f"ELSE {unranked} END AS rank "
                f"FROM (SELECT t.*, row_number() OVER () AS n FROM ({sql}) t) o"
            )
            params = (RANKED, *rank_params, *params)
        else:
            sql = f"SELECT o.pk, o.created_at, {unranked} AS rank FROM ({sql}) o"  # noqa: S608 - compiled by Django
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.pk, t.created_at, t.rank, count(*) OVER () FROM ({sql}) t "  # noqa: S608 - compiled by Django, values bound
            f"{resume}ORDER BY {best_first} LIMIT %s{' OFFSET %s' if drop else ''}",
            [*params, *resume_params[:3], window - drop, *([drop] if drop else [])],
        )
        rows = cursor.fetchall()
    found = rows[0][3] if rows else 0
    return [{"pk": pk, "created_at": at, "rank": rank} for pk, at, rank, _n in rows], found


def _resumed_order(sort, dense, after):
    """(dense, tail_kind): after an unranked match of one kind, that kind is read from the
    key on (_matches), in the order the pages before were read."""
    part = unranked_part(after[0]) if after is not None and sort == "relevance" else None
    if part is None:
        return dense, None
    return part == WALKED, after[3] if len(after) > 3 else None


def _skipped(parsed, sort, after, offset, kinds):
    """For a page number past the ranked matches of one kind: how many rows of the read
    order come before the row before the page (read: its key resumes there). Nothing is
    ranked then (_matches); 0 otherwise."""
    if sort != "relevance" or after is not None or offset <= RANKED or kinds != 1:
        return 0
    return offset - 1 if positive_tsquery(parsed) is not None else 0


def search_items(
    viewer: Viewer,
    q: str,
    *,
    group: Group | None = None,
    owner: User = None,
    scope: str = "all",
    sort: str = "relevance",
    type: str = None,
    page: Page = 1,
    per_page: int = 20,
    with_facets: bool = False,
    facet_limit: int = 12,
    after: list | None = None,
    depth: int = 0,
    only: Q | None = None,
    marks: bool = True,
    load_bookmarks: Callable[[list], list] | None = None,
    load_marked: Callable[[QuerySet], list] | None = None,
):
    """One page of bookmarks and topics matching `q` that the viewer may see.

    `after` (SearchResults.last_key of the page before) and `depth` (how many items came
    before) resume after an earlier page, instead of `page`: by date the matches are read from
    that key on, without counting again (the count is the caller's, from the first page).
    `only`: bookmarks only, those matching this condition too. marks=False leaves out the
    marked titles and snippets; `load_bookmarks(ids)` reads the page's bookmarks instead of
    the ORM (the caller's presenter: a list of items, in the ids' order, with `id`);
    `load_marked(queryset)` reads them from the page's bookmarks with their marks annotated
    (title_marked, snippet; items with `id`, in any order). `with_facets`: the results carry
    the `facet_limit` most frequent tags of the matches (tag_facets).

    By relevance, with more than RANKED matches, the first RANKED matches are ranked (the
    title and tag matches first, then the newest others, _matches) and the matches after them
    follow in that order: ranking every match of a common word is what made relevance slow,
    and the order stays the same whichever page is asked (a cursor resumes it).
    """
    parsed = copy.copy(_parsed(q))  # the tsqueries are kept on it (resolve_tsqueries)
    if type in ("bookmark", "topic"):
        parsed.types = parsed.types | {type} if parsed.types else {type}
    if not parsed.is_empty:
        resolve_tsqueries(parsed)
    sort = "date" if sort == "date" else "relevance"
    page = max(1, int(page or 1))
    offset = (page - 1) * per_page
    window = offset + per_page
    if after is not None:
        offset, window = 0, per_page
        page = depth // per_page + 1

    # marks are added to the page's rows only (_load): building them costs on every query
    bookmarks = filter_by_keyword(
        scoped_bookmarks(viewer, group=group, owner=owner, scope=scope), parsed, marks=False
    )
    topics = filter_topics(scoped_topics(viewer, group=group, owner=owner, scope=scope), parsed)
    if only is not None:
        bookmarks, topics = bookmarks.filter(only), topics.none()
    if parsed.is_empty:
        bookmarks, topics = bookmarks.none(), topics.none()

    # A query matching a large share of rows (a common word) is answered by walking the date
    # indexes, which stop after the rows needed; the planner cannot tell common from rare
    # words and would otherwise read huge GIN posting lists (measured: 0.5 s for two common
    # words in a 100,000-item group).
    # a big group's own index holds far fewer rows: GIN stays cheaper for common words longer
    dense = is_dense(
        parsed,
        group_index_rows(group.pk) if group is not None else None,
        ranked=sort == "relevance" and positive_tsquery(parsed) is not None,
    )
    dense, tail_kind = _resumed_order(sort, dense, after)
    searched = {
        kind: qs
        # topics first: their rows tell how many bookmarks may stay in the database (drop)
        for kind, qs in (("topic", topics), ("bookmark", bookmarks))
        if parsed.wants(kind) and not qs.query.is_empty()
    }
    skip = _skipped(parsed, sort, after, offset, len(searched))
    # by page number, of the kind read last, the rows before the one before the page stay in
    # the database, but for as many as the kinds read before might place among them (with
    # one kind: all of them): the page is the same, a few hundred keys travel, not thousands
    numbered = offset > 1 and after is None and not skip
    drop = 0
    # one row past the window tells whether a next page exists, past the capped count too
    limit = max(window + 1, COUNT_CAP + 1)
    if after is not None and sort == "date":
        limit = window + 1  # read from the key on: nothing to count
    elif after is not None:
        limit = max(depth + per_page + 1, COUNT_CAP + 1)  # the same ranked set as page=
    # everything the viewer may see: the newest rows' own index may answer
    everything = group is None and owner is None and scope != "mine"
    recent = _recent_slice(parsed, limit) if everything else None
    counts = {}
    total_found = 0
    keys = []  # (kind, pk, rank, created_at) of the first `window` items of each kind
    with transaction.atomic():
        # bitmaps stay exact, and a relevance sort carries each match's vector to the
        # ranking after its LIMIT: room for both in memory. No JIT: the ranking's estimated
        # cost passes jit_above_cost, and compiling took 25-30 ms of a 50 ms deep page (the
        # queries themselves are short: what JIT saves on long analytic scans, never here)
        session = ["SET LOCAL work_mem = '32MB'", "SET LOCAL jit = off"]
        if dense and recent is None:
            session += _WALK
        with connection.cursor() as cursor:
            cursor.execute("; ".join(session))  # one round trip
        for n, (kind, qs) in enumerate(searched.items(), 1):
            rows = None
            drop = max(0, offset - 1 - len(keys)) if numbered and n == len(searched) else 0
            if kind == "bookmark" and recent is not None and after is None:
                # the newest rows hold `limit` matches: they are the newest matches of all.
                # A page past the ranked ones reads the same order as the first pages did,
                # so it reads on to `limit` too: whether the newest rows hold enough is
                # decided as for them
                recent_qs = qs.filter(created_at__gte=recent)
                to = limit if skip else window + 1
                rows, found = _matches(
                    recent_qs, parsed, sort, limit, to, False, skip=skip, drop=drop
                )
                if found < limit:
                    rows = None
                    if dense:
                        with connection.cursor() as cursor:
                            cursor.execute("; ".join(_WALK))
            if rows is None:
                tail = kind == tail_kind
                rows, found = _matches(
                    qs, parsed, sort, limit, window + 1, dense, after, tail, skip, drop
                )
                if (skip or drop) and not rows:  # past the last match: counted the usual way
                    skip = drop = 0
                    rows, found = _matches(qs, parsed, sort, limit, window + 1, dense)
            counts[kind] = (min(found, COUNT_CAP), found > COUNT_CAP)
            total_found += found
            keys += [(kind, r["pk"], r["rank"] or 0.0, r["created_at"]) for r in rows]
    if sort == "relevance":
        keys.sort(key=lambda k: (k[2], k[3], k[1]), reverse=True)
    else:
        keys.sort(key=lambda k: (k[3], k[1]), reverse=True)
    shift = skip or drop  # the rows read start at the row before the page
    offset, window, total_found = offset - shift, window - shift, total_found - shift
    more = len(keys) > window or (after is None and total_found > window)
    before = None
    if 0 < offset <= len(keys):
        kind, pk, rank, created = keys[offset - 1]
        before = [rank, created, pk, kind]
    keys = keys[offset:window]

    items = _load(keys, parsed, marks=marks, load_bookmarks=load_bookmarks, load_marked=load_marked)

    count = sum(n for n, _ in counts.values())
    capped = any(c for _, c in counts.values())
    if count > COUNT_CAP:
        count, capped = COUNT_CAP, True
    wants_facets = with_facets and parsed.wants("bookmark")
    facets = tag_facets(bookmarks, limit=facet_limit) if wants_facets else []
    return SearchResults(parsed, items, page, per_page, count, capped, facets, more, before)


def _load(keys, parsed, *, marks=True, load_bookmarks=None, load_marked=None):
    """The page's objects, with marks, in `keys` order: one query per kind.

    The keys come from the visibility-filtered queries of this search, so the rows are read
    by primary key alone: compiling and planning the visibility and text conditions again
    was a fifth of a search's time (bookmarks.selectors.Listing does the same).
    """
    by_kind = {"bookmark": [], "topic": []}
    for kind, pk, _rank, _created in keys:
        by_kind[kind].append(pk)
    loaded = {}
    if by_kind["bookmark"] and load_bookmarks is not None:
        loaded.update({("bookmark", b["id"]): b for b in load_bookmarks(by_kind["bookmark"])})
    elif by_kind["bookmark"]:
        qs = Bookmark.objects.filter(pk__in=by_kind["bookmark"]).order_by()  # `keys` order
        qs = with_marks(qs, parsed) if marks else qs
        if load_marked is not None:
            loaded.update({("bookmark", b["id"]): b for b in load_marked(qs)})
        else:
            # with the counts a listed bookmark shows (bookmarks/_item.html), in the same query
            rows = with_text_sizes(with_counts(listed_rows(qs)))
            loaded.update({("bookmark", b.pk): b for b in rows})
    if by_kind["topic"]:
        qs = Topic.objects.filter(pk__in=by_kind["topic"]).select_related("group", "author")
        query = positive_tsquery(parsed)
        if query is not None and marks:
            qs = qs.annotate(
                title_marked=Marked("title", query, Value(TITLE_OPTIONS)),
                snippet=Marked("body", query, Value(SNIPPET_OPTIONS)),
            )
        loaded.update({("topic", t.pk): t for t in qs})
    results = []
    for kind, pk, rank, created in keys:
        item = loaded.get((kind, pk))
        if item is not None:
            results.append(Result(kind, item, created, rank, pk))
    return results


# --- facets -----------------------------------------------------------------------------------


# Counted by Postgres: sending a thousand tag lists to count them in Python cost three times
# as much. Ties in code point order (COLLATE "C"), as Python sorts strings.
_FACETS_SQL = """
SELECT t, count(*) AS n FROM ({inner}) AS sample, unnest(sample.tags) AS t
GROUP BY t ORDER BY n DESC, t COLLATE "C" LIMIT %s
"""


def tag_facets(queryset: QuerySet, limit: int = 12, sample: int = FACET_SAMPLE):
    """The most frequent tags among the newest `sample` rows of `queryset`: [(tag, count)].
    Remembered until the next change (config.positions): the pages of one search, and the
    same search asked again, count them once."""
    rows = queryset.order_by("-created_at", "-id").values("tags")[:sample]
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a query that can match nothing (no words left, nothing in scope)
        return []

    def count():
        with connection.cursor() as cursor:
            cursor.execute(_FACETS_SQL.format(inner=inner), [*params, limit])
            return [(tag, n) for tag, n in cursor.fetchall()]

    # the SQL names everything the count reads: the words, the scope, the viewer
    return positions.remembered(("tag_facets", connection.alias, inner, params, limit), count)


def facets(
    viewer: Viewer,
    q: str,
    *,
    group: Group | None = None,
    owner: User = None,
    scope: str = "all",
    limit: int = 12,
):
    """Tag facets for a search (the same scope rules as search_items)."""
    parsed = _parsed(q)
    bookmarks = filter_by_keyword(
        scoped_bookmarks(viewer, group=group, owner=owner, scope=scope), parsed, marks=False
    )
    if not parsed.wants("bookmark"):
        return []
    return tag_facets(bookmarks, limit=limit)

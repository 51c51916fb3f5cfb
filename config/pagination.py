"""The API's one pagination shape: {"count", "count_exact", "next", "previous", "results"}.

Every list takes `page` (an offset: fine for the first pages) or `cursor` (keyset: the sort
key of the last row shown, signed so it cannot be forged), and `next` always carries a
cursor, so page 50 costs what page 1 costs: the database seeks to the key instead of walking
through the rows before it. Counts stop at COUNT_CAP (`count_exact` false past it); a cursor
carries the count of the first page, so a later page does not count again.
"""

from datetime import datetime

from django.core import signing
from django.db.models import F, OrderBy, Q
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import positions

COUNT_CAP = 1000
CURSOR_SALT = "commonplace.api.cursor"
BAD_CURSOR = "Invalid cursor: use the next link of a list as it came."


def _encode(value):
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _decode(value):
    if isinstance(value, dict) and set(value) == {"t"}:
        parsed = parse_datetime(value["t"])
        if parsed is None:
            raise ParseError(BAD_CURSOR)
        return parsed
    return value


def sign_cursor(**state) -> str:
    """An opaque cursor for `state` (JSON values; datetimes are kept as such)."""
    if "k" in state and state["k"] is not None:
        state["k"] = [_encode(v) for v in state["k"]]
    return signing.dumps(state, salt=CURSOR_SALT, compress=True)


def read_cursor(value: str, *, kind: str) -> dict:
    """The state of a cursor made by sign_cursor for a list of this `kind`; a forged,
    altered or foreign cursor is a 400 {"detail": ...}."""
    try:
        state = signing.loads(value, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ParseError(BAD_CURSOR) from None
    if not isinstance(state, dict) or state.get("kind") != kind:
        raise ParseError(BAD_CURSOR)
    if state.get("k") is not None:
        if not isinstance(state["k"], list):
            raise ParseError(BAD_CURSOR)
        state["k"] = [_decode(v) for v in state["k"]]
    for name in ("d", "s", "n"):
        if not isinstance(state.get(name), int) or state[name] < 0:
            raise ParseError(BAD_CURSOR)
    return state


def page_links(request, *, depth: int, size: int, count: int, exact: bool, keys, more: bool, kind):
    """(next, previous) URLs: next holds a cursor after `keys` (the last row's sort key);
    previous is a page number (the pages before a cursor are the first pages)."""
    url = request.build_absolute_uri()
    next_url = previous_url = None
    if more:
        cursor = sign_cursor(kind=kind, k=keys, d=depth + size, s=size, n=count, x=exact)
        next_url = replace_query_param(remove_query_param(url, "page"), "cursor", cursor)
    if depth > 0:
        previous_url = remove_query_param(url, "cursor")
        number = max(1, -(-depth // size))  # the page holding the row before this one
        if number > 1:
            previous_url = replace_query_param(previous_url, "page", number)
        else:
            previous_url = remove_query_param(previous_url, "page")
        previous_url = replace_query_param(previous_url, "page_size", size)
    return next_url, previous_url


def paginated_schema(schema):
    return {
        "type": "object",
        "required": ["count", "count_exact", "results"],
        "properties": {
            "count": {
                "type": "integer",
                "example": 123,
                "description": f"How many items match, counted up to {COUNT_CAP}.",
            },
            "count_exact": {
                "type": "boolean",
                "description": f"False when counting stopped at {COUNT_CAP}: there are more.",
            },
            "next": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "description": "The next page (a cursor link), null on the last page.",
            },
            "previous": {"type": "string", "nullable": True, "format": "uri"},
            "results": schema,
        },
    }


CURSOR_PARAMETER = {
    "name": "cursor",
    "required": False,
    "in": "query",
    "description": "Opaque: the `next` link's cursor (page 50 costs what page 1 costs).",
    "schema": {"type": "string"},
}


def capped_count(queryset, cap=COUNT_CAP):
    """(count, exact): stop counting after `cap` rows."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n <= cap


def _field_path(order):
    """("field", descending) of one ordering entry, or None when it is not a plain field."""
    if isinstance(order, str):
        if order == "?" or "." in order:
            return None
        return (order[1:], True) if order.startswith("-") else (order.lstrip("+"), False)
    if isinstance(order, OrderBy) and isinstance(order.expression, F):
        if order.nulls_first or order.nulls_last:
            return None
        return order.expression.name, order.descending
    if isinstance(order, F):
        return order.name, False
    return None


def keyset_order(queryset):
    """The queryset's order as [(field, descending)] ending with the primary key, or None
    when it cannot be resumed from a key (an expression, nulls first/last)."""
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if query.extra_order_by:
        return None
    fields = []
    for order in ordering:
        path = _field_path(order)
        if path is None:
            return None
        fields.append(("pk" if path[0] == "id" else path[0], path[1]))
    if not fields or fields[-1][0] != "pk":
        fields.append(("pk", fields[-1][1] if fields else False))
    return fields


def after_key(fields, keys) -> Q:
    """Rows after `keys` in the order `fields`: (a, b, pk) > (x, y, z), column by column."""
    # the first column's bound alone lets an index on it seek to the key (the OR below does
    # not: the planner would walk the index from its start and filter)
    first, descending = fields[0]
    after = Q()
    for i, (name, descending) in enumerate(fields):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": keys[i]})
        for j, (earlier, _descending) in enumerate(fields[:i]):
            step &= Q(**{earlier: keys[j]})
        after |= step
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": keys[0]}) & after


def _value(obj, name):
    for part in name.split("__"):
        obj = getattr(obj, part)
    return obj


class PageNumberPagination(pagination.BasePagination):
    """`page` / `page_size`, and `cursor` (see the module docstring).

    A view may pass `load(ids) -> rows in that order` to paginate_queryset: then the page's
    keys are read by a narrow query (the sort columns only) and the wide rows (joins, counts,
    per-row subqueries) are read for those ids alone, never for the rows skipped.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except (TypeError, ValueError):
            return self.page_size
        return min(max(1, size), self.max_page_size) if size > 0 else self.page_size

    def page_number(self, request):
        raw = request.query_params.get("page", "1")
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise NotFound("Invalid page.") from None
        if number < 1:
            raise NotFound("Invalid page.")
        return number

    def paginate_queryset(self, queryset, request, view=None, *, load=None):
        self.request = request
        fields = keyset_order(queryset)
        if fields is not None:
            queryset = queryset.order_by(*[f"-{n}" if d else n for n, d in fields])
        kind = f"{queryset.model._meta.label_lower}:{fields}"
        raw_cursor = request.query_params.get("cursor")
        keys = before = None
        names = [name for name, _ in fields] if fields is not None else ["pk"]
        if raw_cursor:
            state = read_cursor(raw_cursor, kind=kind)
            depth, size, count, exact = state["d"], state["s"], state["n"], bool(state.get("x"))
            keys = state.get("k")
            if size < 1 or size > self.max_page_size:
                raise ParseError(BAD_CURSOR)
            if fields is not None and keys is not None:
                if len(keys) != len(fields):
                    raise ParseError(BAD_CURSOR)
                rows = queryset.filter(after_key(fields, keys))
            else:  # an order no key can resume: the cursor holds the offset
                rows = queryset[depth:]
        else:
            size = self.get_page_size(request)
            depth = (self.page_number(request) - 1) * size
            # a page number: read from its key when this viewer's pages before told it
            state, version = positions.recall(request, kind, depth, size)
            if state is not None and fields is not None and len(state["k"]) == len(fields):
                count, exact = state["n"], bool(state["x"])
                rows = queryset.filter(after_key(fields, state["k"]))
            else:
                state = None
                count, exact = capped_count(queryset)
                if depth and depth >= count and exact:
                    raise NotFound("Invalid page.")
                rows = queryset[depth:]
                if depth and fields is not None and load is None:
                    before = self._boundary(queryset, names, depth)
                    if before is not None:
                        rows = queryset.filter(after_key(fields, before))
        # a page number's narrow read starts one row early: the key before the page
        early = int(bool(depth and not raw_cursor and state is None and fields is not None))
        if load is not None:
            narrow = queryset[depth - 1 :] if early else rows
            key_rows = list(narrow.values_list(*names)[: size + 1 + early])
            if early and key_rows:
                before = list(key_rows.pop(0))
                before = None if any(v is None for v in before) else before
            more = len(key_rows) > size
            key_rows = key_rows[:size]
            page = list(load([row[names.index("pk")] for row in key_rows]))
            last = list(key_rows[-1]) if key_rows else None
        else:
            page = list(rows[: size + 1])
            more = len(page) > size
            page = page[:size]
            last = [_value(page[-1], name) for name in names] if page else None
        if fields is None or (last is not None and any(v is None for v in last)):
            last = None  # resumed by offset
        self.count, self.count_exact = count, exact
        if not exact and not more:
            self.count_exact = True
            self.count = max(count, depth + len(page))
        if not raw_cursor and fields is not None:
            position = {"s": size, "n": count, "x": exact}
            positions.remember(
                request,
                kind,
                version,
                [
                    {**position, "k": before, "d": depth},
                    {**position, "k": last, "d": depth + size} if more else None,
                ],
            )
        self.next_url, self.previous_url = page_links(
            request,
            depth=depth,
            size=size,
            count=count,
            exact=exact,
            keys=last,
            more=more,
            kind=kind,
        )
        return page

    @staticmethod
    def _boundary(queryset, names, depth):
        """The key of the `depth`-th row, by a narrow query (the sort columns only), to read
        the page after it from that key, so the wide rows (joins, counts, serializer fields)
        are never read for the rows a page number skips; None when that key cannot be
        resumed (a NULL)."""
        boundary = list(queryset.values_list(*names)[depth - 1 : depth])
        if not boundary or any(v is None for v in boundary[0]):
            return None
        return list(boundary[0])

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.next_url,
                "previous": self.previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return paginated_schema(schema)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "A page number (an offset: prefer the `next` cursor past the "
                "first pages).",
                "schema": {"type": "integer"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items a page (at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
            CURSOR_PARAMETER,
        ]

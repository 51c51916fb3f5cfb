"""/search/: everything the viewer may see, one group, or their own library."""

from django.shortcuts import render

from annotations.selectors import attach_annotations
from groups.selectors import get_readable_group

from .query import parse
from .selectors import search_items

MAX_PAGE = 500


def _page_number(value):
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search(request):
    q = request.GET.get("q", "")[:2000]
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    kind = request.GET.get("type") if request.GET.get("type") in ("bookmark", "topic") else None
    scope = "mine" if request.GET.get("scope") == "mine" else "all"
    slug = request.GET.get("group", "")
    group = get_readable_group(request.user, slug) if slug else None
    parsed = parse(q)
    results = search_items(
        request.user,
        parsed,
        group=group,
        scope=scope,
        sort=sort,
        type=kind,
        page=_page_number(request.GET.get("page")),
        with_facets=True,
    )
    # a bookmark shows as in a library (bookmarks/_item.html): its counts (search_items read
    # them with the rows) and first annotations
    bookmarks = [r.item for r in results.items if r.kind == "bookmark"]
    attach_annotations(bookmarks, request.user, "middle")
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "parsed": parsed,
            "results": results,
            "sort": sort,
            "kind": kind or "",
            "scope": scope,
            "group": group,
        },
    )

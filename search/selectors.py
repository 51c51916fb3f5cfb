"""Search reads (stub until the Search work replaces it with full-text search)."""

from django.db.models import Q


def filter_by_keyword(queryset, q):
    """Plain contains-match on title, description, tags and url."""
    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(
        Q(title__icontains=q)
        | Q(description__icontains=q)
        | Q(page__url__icontains=q)
        | Q(tags__icontains=[q.lower()])
    )


def order_by_relevance(queryset, q):
    """Stub: date order until full-text ranking lands."""
    return queryset.order_by("-created_at", "-id")

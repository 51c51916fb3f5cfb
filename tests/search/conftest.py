import pytest

from bookmarks.models import Bookmark
from search.selectors import filter_by_keyword


@pytest.fixture
def found():
    """found("query") → the set of bookmark ids the keyword filter returns."""

    def run(q, queryset=None):
        qs = Bookmark.objects.all() if queryset is None else queryset
        return set(filter_by_keyword(qs, q).values_list("pk", flat=True))

    return run

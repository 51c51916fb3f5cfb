"""The library's composed writes."""

from library.services import save_page


def test_the_bookmarklet_quote_becomes_the_first_highlight(user):
    bookmark, _ = save_page(
        user, "https://example.org/q", quote="a passage", prefix="before ", suffix=" after"
    )
    highlight = bookmark.highlights.get()
    assert highlight.exact == "a passage"
    assert highlight.prefix == "before "

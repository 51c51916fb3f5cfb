"""The reader view (a page's extracted text with its highlights) and the fetch-status partial."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annotations.selectors import visible_highlights
from annotations.services import may_highlight
from bookmarks import services as bookmark_services
from bookmarks.selectors import get_visible_bookmark
from groups.selectors import membership_of

PARAGRAPH_BREAK = "\n\n"
SHOWN_STATUSES = {"pending", "anchored", "fuzzy"}


def placed_highlights(text, highlights):
    """Highlights whose offsets point at their place in `text` now (orphans are listed apart).

    A pending highlight (just made, not yet anchored by the worker) is shown only when its
    offsets still hold its quote.
    """
    placed = []
    for h in highlights:
        if h.anchor_status not in SHOWN_STATUSES or h.start is None or h.end is None:
            continue
        if not (0 <= h.start < h.end <= len(text)):
            continue
        if h.anchor_status == "pending" and text[h.start : h.end] != h.exact:
            continue
        placed.append(h)
    return placed


def render_text(text, highlights):
    """The text as HTML whose text content is exactly `text`.

    Paragraphs (split on blank lines) become <p>; the "\\n\\n" between them stays as a text
    node between the <p> elements, so character offsets computed in the browser over the
    container's text are offsets into Page.text. Highlighted stretches are wrapped in <mark>,
    split at paragraph edges; where highlights overlap the latest one gives the colour.
    """
    cuts = {0, len(text)}
    for h in highlights:
        cuts.update((h.start, h.end))
    position = text.find(PARAGRAPH_BREAK)
    breaks = []
    while position != -1:
        breaks.append((position, position + len(PARAGRAPH_BREAK)))
        cuts.update(breaks[-1])
        position = text.find(PARAGRAPH_BREAK, position + len(PARAGRAPH_BREAK))
    break_starts = {start for start, _ in breaks}
    # A highlight edge inside a paragraph break is moved out of it: the break is one piece.
    inside_breaks = {p for start, end in breaks for p in range(start + 1, end)}
    points = sorted(cut for cut in cuts if 0 <= cut <= len(text) and cut not in inside_breaks)
    out = ["<p>"]
    for left, right in zip(points, points[1:], strict=False):
        if left in break_starts:
            out.append("</p>" + PARAGRAPH_BREAK + "<p>")
            continue
        chunk = escape(text[left:right])
        covering = [h for h in highlights if h.start <= left and right <= h.end]
        if covering:
            top = covering[-1]
            ids = " ".join(str(h.pk) for h in covering)
            out.append(
                f'<mark class="hl-{escape(top.color)} reader-mark" data-highlight-ids="{ids}">'
                f"{chunk}</mark>"
            )
        else:
            out.append(chunk)
    out.append("</p>")
    return mark_safe("".join(out))


@require_GET
def read(request, pk):
    bookmark = get_visible_bookmark(request.user, pk)
    page = bookmark.page
    highlights = list(visible_highlights(request.user, bookmark).order_by("created_at", "id"))
    placed = placed_highlights(page.text, highlights)
    placed_ids = {h.pk for h in placed}
    annotator = None
    # The annotator shows the viewer's own saves and their groups' (the page-annotations API):
    # elsewhere (a stranger's public save) the server's marks stay, read-only.
    in_my_conversation = request.user.is_authenticated and (
        membership_of(request.user, bookmark.group) is not None
        if bookmark.group_id
        else bookmark.owner_id == request.user.pk
    )
    if in_my_conversation:
        # what the in-page annotator needs (static/js/reader.js); the API does the rest
        annotator = {
            "bookmark": bookmark.pk,
            "url": page.url,
            "title": bookmark.display_title,
            "place": bookmark.group.name if bookmark.group_id else _("My library"),
            "readOnly": not may_highlight(request.user, bookmark),
        }
    return render(
        request,
        "library/reader.html",
        {
            "bookmark": bookmark,
            "page": page,
            "text_html": render_text(page.text, placed) if page.text else "",
            "highlights": highlights,
            "elsewhere": [h for h in highlights if h.pk not in placed_ids],
            "annotator": annotator,
        },
    )


@require_GET
def fetch_status(request, pk):
    """The library item's fetch badge; once the fetch is over it also swaps the title in."""
    bookmark = get_visible_bookmark(request.user, pk)
    response = render(
        request,
        "bookmarks/_fetch_status.html",
        {"bookmark": bookmark, "swap_title": bookmark.page.fetch_status != "pending"},
    )
    return response if response.content.strip() else HttpResponse("")


REFETCH_EVERY_SECONDS = 300


@require_POST
def refetch(request, pk):
    """Fetch the page again on a reader's request ("refresh"); at most once per page every
    five minutes, whoever asks, so that the button cannot be turned against the site."""
    bookmark = get_visible_bookmark(request.user, pk)
    if not request.user.is_authenticated:
        raise PermissionDenied
    if cache.add(f"refetch:page:{bookmark.page_id}", 1, REFETCH_EVERY_SECONDS):
        bookmark_services.retry_fetch(bookmark.page_id)
        messages.info(request, _("The page will be fetched again in a moment."))
    else:
        messages.info(request, _("This page was fetched again a few minutes ago."))
    if request.htmx:
        # the "Try again" button of a list item: the badge swaps to "fetching…" and polls
        bookmark.page.refresh_from_db()
        return render(request, "bookmarks/_fetch_status.html", {"bookmark": bookmark})
    return redirect("library:read", pk=bookmark.pk)

"""wallabag's JSON export: a list of entries (title, url, is_archived, is_starred, tags,
annotations, created_at, updated_at, content).

is_archived 0 is unread, 1 read; is_starred has nowhere to go and is dropped. Tags are labels
(or {"label": …} objects, as the API writes them). An annotation is a highlight: its `quote`
the passage, its `text` the note. Its `ranges` are XPaths into wallabag's copy of the article,
which is not our text; the article (`content`) gives the quote's context instead, so the
highlight anchors by prefix and suffix as one made in the reader does.
"""

from django.utils.translation import gettext as _

from annotations.anchoring import ANCHORED, anchor

from .base import (
    BadEntry,
    Errors,
    ImportFileError,
    ImportHighlight,
    ImportItem,
    ParseResult,
    any_date,
    entry_url,
    html_text,
    list_of,
    load_json,
    read_entries,
    tag_names,
    text_of,
)

WALLABAG = "wallabag"
# as much context either side as Hypothesis's client keeps
CONTEXT = 32


def looks_like(keys):
    return bool({"is_archived", "is_starred", "reading_time"} & keys)


def _flag(entry, name):
    value = entry.get(name)
    if value is None:
        return False
    if isinstance(value, bool | int):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("0", "1", "true", "false"):
        return value.strip() in ("1", "true")
    raise BadEntry(_("the field %(name)s is not 0 or 1") % {"name": name})


def _highlights(entry):
    highlights = []
    article = None
    for annotation in list_of(entry, "annotations"):
        if not isinstance(annotation, dict):
            raise BadEntry(_("has an annotation that is not an object"))
        exact = text_of(annotation, "quote")
        if not exact.strip():
            raise BadEntry(_("has a highlight without a quote"))
        highlight = ImportHighlight(exact=exact, note=text_of(annotation, "text").strip())
        if article is None:
            article = html_text(text_of(entry, "content"))
        found = anchor(article, exact) if article else None
        if found is not None and found.status == ANCHORED:
            highlight.prefix = article[max(0, found.start - CONTEXT) : found.start]
            highlight.suffix = article[found.end : found.end + CONTEXT]
        highlights.append(highlight)
    return highlights


def _read(entry, where):
    item = ImportItem(url=entry_url(entry.get("url")), where=where)
    item.title = text_of(entry, "title").strip()
    item.tags = tag_names(list_of(entry, "tags"), "label")
    item.unread = not _flag(entry, "is_archived")
    _flag(entry, "is_starred")  # checked, then dropped: no favourites here
    item.created_at = any_date(entry.get("created_at"), "created_at")
    item.updated_at = any_date(entry.get("updated_at"), "updated_at")
    item.highlights = _highlights(entry)
    return item


def parse_wallabag(text):
    data = load_json(text)
    if not isinstance(data, list):
        raise ImportFileError([_("A wallabag export is a JSON list of entries.")])
    errors = Errors()
    skipped = []
    items = read_entries(data, _("entry %(n)d"), errors, skipped, _read)
    return ParseResult(WALLABAG, items, skipped, errors.items)

"""Hypothesis annotations (the client's "Export annotations" JSON, the API's search rows, or a
bare list): W3C-model annotations, one bookmark per page.

Each annotation is one entry of the file, read whole or skipped with its number. One with a
TextQuoteSelector becomes a highlight carrying that quote, its prefix and suffix (what
anchoring matches, as for a highlight made in the reader) and the TextPositionSelector's
offsets as a hint; its text is the highlight's note. A page note (no selector) becomes the
bookmark's note, as a Diigo sticky note without a passage does; a reply (it `references`
another annotation) becomes a comment. Tags of every annotation of a page are the
bookmark's; its date is the earliest annotation's. A page is private unless one of its
annotations was shared with the world. When the export names its user, annotations written
by others (replies in a shared group) stay theirs: skipped and reported.
"""

from django.utils.translation import gettext as _

from bookmarks.urlnorm import InvalidURL, normalize_url, url_key

from .base import (
    BadEntry,
    Errors,
    ImportFileError,
    ImportHighlight,
    ImportItem,
    NotImportable,
    ParseResult,
    any_date,
    entry_url,
    join_notes,
    list_of,
    load_json,
    strings,
    text_of,
)

HYPOTHESIS = "hypothesis"
WORLD = "group:__world__"


def looks_like(keys, head):
    if "@context" in keys:
        return False  # W3C JSON-LD (ours, or h's ld+json): another reader's
    if "export_userid" in keys:
        return True
    return "uri" in keys and ('"acct:' in head or "target" in keys or "permissions" in keys)


def _annotations(data):
    """(annotations, user) of the three shapes; ImportFileError for anything else."""
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict):
        for key in ("annotations", "rows"):
            if isinstance(data.get(key), list):
                user = data.get("export_userid")
                return data[key], user if isinstance(user, str) and user else None
    raise ImportFileError([_("A Hypothesis export holds a list of annotations.")])


def _quote(annotation):
    """(TextQuoteSelector, TextPositionSelector) of the annotation's first target, or Nones."""
    targets = list_of(annotation, "target")
    if not targets:
        return None, None
    if not isinstance(targets[0], dict):
        raise BadEntry(_("the field %(name)s is not an object") % {"name": "target"})
    quote = position = None
    for selector in list_of(targets[0], "selector"):
        if not isinstance(selector, dict):
            raise BadEntry(_("the field %(name)s is not an object") % {"name": "selector"})
        kind = selector.get("type")
        if kind == "TextQuoteSelector" and quote is None:
            quote = selector
        elif kind == "TextPositionSelector" and position is None:
            position = selector
    return quote, position


def _offset(selector, name):
    """An offset as a hint for anchoring (transfer.services drops those out of range)."""
    value = selector.get(name) if selector else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _title(annotation):
    document = annotation.get("document")
    if not isinstance(document, dict):
        return ""
    title = document.get("title")
    if isinstance(title, list):
        title = next((t for t in title if isinstance(t, str) and t.strip()), "")
    return title.strip() if isinstance(title, str) else ""


def _page_key(url):
    try:
        return url_key(normalize_url(url))
    except InvalidURL:
        return url  # the import skips it with its reason


def parse_hypothesis(text):
    annotations, user = _annotations(load_json(text))
    errors = Errors()
    skipped = []
    pages = {}  # page key → ImportItem
    public = set()  # page keys with an annotation shared with the world
    label = _("annotation %(n)d")
    for number, annotation in enumerate(annotations, start=1):
        where = label % {"n": number}
        if not isinstance(annotation, dict):
            errors.add(where, _("is not an object"))
            continue
        try:
            url = entry_url(annotation.get("uri"), "uri")
            author = annotation.get("user")
            if user is not None and isinstance(author, str) and author != user:
                raise NotImportable(
                    _("written by another user (%(user)s)") % {"user": author[:100]}
                )
            note = text_of(annotation, "text").strip()
            tags = strings(list_of(annotation, "tags"), "tags")
            created = any_date(annotation.get("created"), "created")
            updated = any_date(annotation.get("updated"), "updated")
            quote, position = _quote(annotation)
            highlight = None
            if quote is not None:
                exact = text_of(quote, "exact")
                if not exact.strip():
                    raise BadEntry(_("has a highlight without a quote"))
                highlight = ImportHighlight(
                    exact=exact,
                    note=note,
                    prefix=text_of(quote, "prefix"),
                    suffix=text_of(quote, "suffix"),
                    start=_offset(position, "start"),
                    end=_offset(position, "end"),
                )
            permissions = annotation.get("permissions")
            readers = permissions.get("read") if isinstance(permissions, dict) else None
            shared = not isinstance(readers, list) or WORLD in readers
            is_reply = bool(list_of(annotation, "references"))
        except BadEntry as exc:
            errors.add(where, exc.reason)
            continue
        except NotImportable as exc:
            skipped.append((where, exc.reason))
            continue
        key = _page_key(url)
        item = pages.get(key)
        if item is None:
            item = pages[key] = ImportItem(url=url, where=where, private=True)
        item.title = item.title or _title(annotation)
        item.tags += [t for t in tags if t not in item.tags]
        if created is not None and (item.created_at is None or created < item.created_at):
            item.created_at = created
        latest = updated or created
        if latest is not None and (item.updated_at is None or latest > item.updated_at):
            item.updated_at = latest
        if shared:
            public.add(key)
        if highlight is not None:
            item.highlights.append(highlight)
        elif is_reply:
            if note:
                item.comments.append(note)
        elif note:
            item.description = join_notes(item.description, note)
    for key, item in pages.items():
        item.private = key not in public
    return ParseResult(HYPOTHESIS, list(pages.values()), skipped, errors.items)

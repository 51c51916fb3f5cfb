"""W3C Web Annotation (JSON-LD): our own export read back, and other files in the same model.

Our export (transfer.exporters.write_jsonld) is one AnnotationCollection whose embedded first
page holds, per bookmark, an annotation with motivation "bookmarking" (the address and title in
its target, the description and tags in its bodies) followed by one annotation per highlight
(a TextQuoteSelector, a TextPositionSelector when the offsets are known, the note as a
"commenting" body). What the model has no word for travels under our own IRIs:
urn:commonplace:private, urn:commonplace:unread, urn:commonplace:color, and
urn:commonplace:title when the bookmark has no title of its own (the label, which a target
needs, is then the page's).

Highlights join their bookmark by target source. A highlight whose page has no bookmarking
annotation in the file makes a bookmark of its own (its tags from the tagging bodies), so a
file of bare annotations from another tool imports too. A note without a quote (a
"commenting" annotation with no selector) becomes a comment on the bookmark.
"""

import re

from django.utils.translation import gettext as _

from .base import (
    Errors,
    ImportFileError,
    ImportHighlight,
    ImportItem,
    ParseResult,
    flag,
    iso_date,
    load_json,
    web_url_or_reason,
)

FORMAT = "jsonld"
PRIVATE = "urn:commonplace:private"
UNREAD = "urn:commonplace:unread"
TITLE = "urn:commonplace:title"  # the bookmark's own title when it has none (label: the page's)
COLOR = "urn:commonplace:color"
_CONTEXT = re.compile(r'"@context"\s*:\s*\[?\s*"https?://www\.w3\.org/ns/anno\.jsonld"')


def looks_like_web_annotation(head):
    """True for JSON whose first bytes declare the Web Annotation context."""
    return bool(_CONTEXT.search(head))


def _annotations(data):
    """The annotations of a collection (its embedded pages), a page, a list or a single one."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ImportFileError([_("A Web Annotation file holds an object or a list.")])
    kind = data.get("type")
    if kind == "Annotation" or (isinstance(kind, list) and "Annotation" in kind):
        return [data]
    if "items" in data:
        items = data["items"]
    else:
        page = data.get("first")
        if page is None:
            return []  # an empty collection: no first page
        if not isinstance(page, dict):
            raise ImportFileError(
                [
                    _(
                        "This annotation collection only links to its pages (%(link)s): "
                        "export a file with the annotations inside."
                    )
                    % {"link": str(page)[:200]}
                ]
            )
        items = []
        seen = 0
        while isinstance(page, dict) and seen < 10_000:  # embedded pages, chained by "next"
            if isinstance(page.get("items"), list):
                items += page["items"]
            page, seen = page.get("next"), seen + 1
    if not isinstance(items, list):
        raise ImportFileError([_("The annotation page has no list of items.")])
    return items


def _bodies(annotation):
    bodies = annotation.get("body")
    if bodies is None:
        return []
    bodies = bodies if isinstance(bodies, list) else [bodies]
    return [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str)]


def _target(annotation):
    target = annotation.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if isinstance(target, str):
        return {"source": target}
    return target if isinstance(target, dict) else {}


def _quote(target):
    """(ImportHighlight fields) from a target's TextQuoteSelector and TextPositionSelector."""
    selectors = target.get("selector") or []
    selectors = selectors if isinstance(selectors, list) else [selectors]
    found = {}
    for s in selectors:
        if not isinstance(s, dict):
            continue
        if s.get("type") == "TextQuoteSelector" and isinstance(s.get("exact"), str):
            found.update(
                exact=s["exact"],
                prefix=str(s.get("prefix") or ""),
                suffix=str(s.get("suffix") or ""),
            )
        elif s.get("type") == "TextPositionSelector":
            start, end = s.get("start"), s.get("end")
            if isinstance(start, int) and isinstance(end, int):
                found.update(start=start, end=end)
    return found


def parse_jsonld(text):
    data = load_json(text)
    annotations = _annotations(data)
    errors = Errors()
    skipped = []
    items = {}  # source address -> ImportItem, in the file's order
    stand_ins = set()  # addresses whose item a highlight made, before any bookmarking one
    label = _("annotation %(n)d")
    for number, annotation in enumerate(annotations, start=1):
        where = label % {"n": number}
        if not isinstance(annotation, dict):
            errors.add(where, _("is not an annotation"))
            continue
        target = _target(annotation)
        raw = target.get("source") or target.get("id")
        if not isinstance(raw, str) or not raw.strip():
            errors.add(where, _("has no target address"))
            continue
        url, reason = web_url_or_reason(raw)
        if url is None:
            skipped.append((where, reason))
            continue
        broken = errors.count
        created = iso_date(annotation.get("created"), where, errors, "created")
        modified = iso_date(annotation.get("modified"), where, errors, "modified")
        if errors.count != broken:  # never half an annotation: a bad date skips it whole
            continue
        bodies = _bodies(annotation)
        tags = [b["value"] for b in bodies if b.get("purpose") == "tagging"]
        notes = [b["value"] for b in bodies if b.get("purpose") in ("commenting", None)]
        item = items.get(url)
        if annotation.get("motivation") == "bookmarking":
            if item is None or url in stand_ins:
                # the bookmark itself; a highlight read before it may have made a stand-in
                stand_ins.discard(url)
                stand_in = item
                item = items[url] = ImportItem(url=url, where=where)
                if stand_in is not None:
                    item.highlights, item.comments = stand_in.highlights, stand_in.comments
            own_title = annotation.get(TITLE)
            title = own_title if isinstance(own_title, str) else target.get("label")
            item.title = str(title or "").strip()
            item.description = "\n\n".join(
                b["value"] for b in bodies if b.get("purpose") == "describing"
            )
            item.tags = tags
            item.created_at, item.updated_at = created, modified
            item.private = flag(annotation.get(PRIVATE))
            item.unread = flag(annotation.get(UNREAD))
            continue
        if item is None:
            # a highlight on a page the file has no bookmark for: it makes one
            item = items[url] = ImportItem(url=url, where=where, tags=tags, created_at=created)
            stand_ins.add(url)
        quote = _quote(target)
        note = "\n\n".join(notes)
        if not quote.get("exact", "").strip():
            if note.strip():
                item.comments.append(note.strip())
            else:
                errors.add(where, _("has neither a quote nor a note"))
            continue
        color = annotation.get(COLOR)
        item.highlights.append(
            ImportHighlight(
                note=note,
                color=color if isinstance(color, str) and color else "yellow",
                created_at=created,
                **quote,
            )
        )
    return ParseResult(FORMAT, list(items.values()), skipped, errors.items)

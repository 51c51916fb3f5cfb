"""Raindrop.io's CSV backup:
`id,title,note,excerpt,url,folder,tags,created,cover,highlights,favorite`.

`note` is the saver's note (the item's note); `excerpt` is the page's own description, kept
when there is no note. `folder` is the collection ("Parent/Child" when nested) and is treated
as Netscape folders are (a tag each, unless the importer says no); "Unsorted" is where
Raindrop puts what has no collection, not a subject. `favorite` has nowhere to go and is
dropped. The `highlights` cell holds `Highlight:` lines, each followed by its `Note:` lines.
"""

from .base import (
    Errors,
    ImportHighlight,
    ImportItem,
    ParseResult,
    csv_bookmark_rows,
)

RAINDROP = "raindrop"
UNSORTED = "unsorted"


def looks_like(columns):
    return {"url", "folder"} <= columns and bool({"excerpt", "highlights", "cover"} & columns)


def parse_highlights(text):
    """The highlights cell → highlights with notes (a line that starts neither continues)."""
    highlights = []
    current = None  # "quote" or "note": what a continuation line belongs to
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("Highlight:"):
            highlights.append(ImportHighlight(exact=line[len("Highlight:") :].strip()))
            current = "quote"
        elif line.startswith("Note:") and highlights:
            note = line[len("Note:") :].strip()
            last = highlights[-1]
            last.note = f"{last.note}\n{note}" if last.note else note
            current = "note"
        elif current == "quote" and line.strip():
            highlights[-1].exact = f"{highlights[-1].exact}\n{line}"
        elif current == "note" and line.strip():
            highlights[-1].note = f"{highlights[-1].note}\n{line}"
    for h in highlights:
        h.exact, h.note = h.exact.strip(), h.note.strip()
    return highlights


def folder_names(value):
    names = [name.strip() for name in (value or "").split("/") if name.strip()]
    return [] if [n.lower() for n in names] == [UNSORTED] else names


def parse_raindrop(text, *, folders_as_tags=True):
    errors = Errors()
    items, skipped = [], []
    for where, row, url, created in csv_bookmark_rows(text, errors, skipped):
        item = ImportItem(
            url=url,
            where=where,
            title=row.get("title", "").strip(),
            description=(row.get("note", "").strip() or row.get("excerpt", "").strip()),
            tags=[t.strip() for t in row.get("tags", "").split(",") if t.strip()],
            created_at=created,
            highlights=parse_highlights(row.get("highlights", "")),
        )
        item.folders = folder_names(row.get("folder"))
        if folders_as_tags:
            item.tags += [f for f in item.folders if f not in item.tags]
        items.append(item)
    return ParseResult(RAINDROP, items, skipped, errors.items)

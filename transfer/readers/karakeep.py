"""Karakeep's (formerly Hoarder's) JSON export: {"bookmarks": [...], "lists": [...]}.

A bookmark has createdAt (Unix seconds), title, tags (names), content ({"type": "link",
"url"}; text notes and uploaded files are not web pages and are skipped), note (the item's
note; the page's description when there is none), archived (read; the others unread) and
the ids of the lists it is in, whose names are treated as Netscape folders are.
`favourited` has nowhere to go and is dropped.
"""

from django.utils.translation import gettext as _

from .base import (
    BadEntry,
    Errors,
    ImportFileError,
    ImportItem,
    NotImportable,
    ParseResult,
    any_date,
    entry_url,
    list_of,
    load_json,
    read_entries,
    strings,
    text_of,
)

KARAKEEP = "karakeep"


def looks_like(keys):
    return "bookmarks" in keys and bool({"createdAt", "archived", "content"} & keys)


def _list_names(data):
    names = {}
    for entry in data.get("lists") if isinstance(data.get("lists"), list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            names[str(entry.get("id"))] = entry["name"].strip()
    return names


def parse_karakeep(text, *, folders_as_tags=True):
    data = load_json(text)
    bookmarks = data.get("bookmarks") if isinstance(data, dict) else None
    if not isinstance(bookmarks, list):
        raise ImportFileError([_("A Karakeep export holds a list of bookmarks.")])
    names = _list_names(data)

    def read(entry, where):
        content = entry.get("content")
        if content is not None and not isinstance(content, dict):
            raise BadEntry(_("the field %(name)s is not an object") % {"name": "content"})
        kind = (content or {}).get("type")
        if kind == "asset":
            raise NotImportable(_("a file uploaded to Karakeep, not a web page"))
        if kind != "link":
            raise NotImportable(_("a Karakeep note, not a web page"))
        archived = entry.get("archived")
        if archived is not None and not isinstance(archived, bool):
            raise BadEntry(_("the field %(name)s is not true or false") % {"name": "archived"})
        item = ImportItem(url=entry_url(content.get("url")), where=where)
        item.title = text_of(entry, "title").strip()
        item.description = (
            text_of(entry, "note").strip()
            or text_of(content, "description").strip()
            or text_of(entry, "description").strip()
        )
        item.tags = [t.strip() for t in strings(list_of(entry, "tags"), "tags") if t.strip()]
        item.created_at = any_date(entry.get("createdAt"), "createdAt")
        item.unread = not archived
        lists = strings(list_of(entry, "lists"), "lists")
        item.folders = [names[i] for i in lists if names.get(i)]
        if folders_as_tags:
            item.tags += [f for f in item.folders if f not in item.tags]
        return item

    errors = Errors()
    skipped = []
    items = read_entries(bookmarks, _("bookmark %(n)d"), errors, skipped, read)
    return ParseResult(KARAKEEP, items, skipped, errors.items)

"""Linkwarden's JSON backup: the user, then {"collections": [{"name", "parentId", "links":
[{"name", "url", "description", "tags": [{"name"}], "createdAt", "importDate"}]}]}.

A link's title is its `name`; its date is `importDate` (the original save date of a link
Linkwarden imported from elsewhere) or else `createdAt`. Collections nest through parentId;
the path of names is treated as Netscape folders are. "Unorganized" is Linkwarden's default
collection, not a subject. Linkwarden keeps no read state or per-link privacy; pinned links
have nowhere to go.
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
    tag_names,
    text_of,
)

LINKWARDEN = "linkwarden"
UNORGANIZED = "unorganized"


def looks_like(keys):
    return "collections" in keys and bool({"links", "username", "parentId"} & keys)


def _paths(collections):
    """{collection id: [names from the top]} through parentId (a cycle stops the walk)."""
    by_id = {
        c["id"]: c
        for c in collections
        if isinstance(c, dict) and isinstance(c.get("id"), int | str)
    }

    def path(collection):
        names, seen = [], set()
        while isinstance(collection, dict) and id(collection) not in seen:
            seen.add(id(collection))
            name = collection.get("name")
            if isinstance(name, str) and name.strip():
                names.insert(0, name.strip())
            parent = collection.get("parentId")
            collection = by_id.get(parent) if isinstance(parent, int | str) else None
        return [] if [n.lower() for n in names] == [UNORGANIZED] else names

    return path


def parse_linkwarden(text, *, folders_as_tags=True):
    data = load_json(text)
    collections = data.get("collections") if isinstance(data, dict) else None
    if not isinstance(collections, list):
        raise ImportFileError([_("A Linkwarden backup holds a list of collections.")])
    path = _paths(collections)
    errors = Errors()
    items, skipped = [], []
    collection_label = _("collection %(n)d")
    link_label = _("collection %(c)d, link %(n)d")
    for c_number, collection in enumerate(collections, start=1):
        if not isinstance(collection, dict) or not isinstance(collection.get("links") or [], list):
            errors.add(collection_label % {"n": c_number}, _("is not a collection of links"))
            continue
        folders = path(collection)
        for number, link in enumerate(collection.get("links") or [], start=1):
            where = link_label % {"c": c_number, "n": number}
            if not isinstance(link, dict):
                errors.add(where, _("is not an object"))
                continue
            try:
                item = ImportItem(url=entry_url(link.get("url")), where=where)
                item.title = text_of(link, "name").strip()
                item.description = text_of(link, "description").strip()
                item.tags = tag_names(list_of(link, "tags"), "name")
                item.created_at = any_date(
                    link.get("importDate") or link.get("createdAt"), "createdAt"
                )
            except BadEntry as exc:
                errors.add(where, exc.reason)
                continue
            except NotImportable as exc:
                skipped.append((where, exc.reason))
                continue
            item.folders = list(folders)
            if folders_as_tags:
                item.tags += [f for f in item.folders if f not in item.tags]
            items.append(item)
    return ParseResult(LINKWARDEN, items, skipped, errors.items)

"""Karakeep's and Linkwarden's JSON: links, notes, archive state, lists and collections."""

import json

from bookmarks.models import Bookmark
from tests.imports.readers_support import (
    fixture,
    fixture_text,
    import_fixture,
    library_counts,
    reported,
    tags_of,
)
from transfer import importers


def karakeep_count():
    export = json.loads(fixture_text("karakeep.json"))
    lists = {entry["id"]: entry["name"] for entry in export["lists"]}
    good = [
        b
        for b in export["bookmarks"]
        if (b["content"] or {}).get("type") == "link"
        and b["content"].get("url")
        and isinstance(b["createdAt"], int)
        and isinstance(b["archived"], bool)
    ]
    return {
        "bookmarks": len(good),
        "tags": tags_of(
            *[t for b in good for t in b["tags"] + [lists[i] for i in b.get("lists", [])]]
        ),
        "highlights": 0,
        "notes": sum(bool(b["note"] or b["content"].get("description")) for b in good),
        "comments": 0,
        "unread": sum(not b["archived"] for b in good),
        "private": 0,
    }


def test_a_karakeep_export_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, "karakeep.json")
    assert job.file_format == "karakeep"
    assert library_counts(user) == karakeep_count()
    assert reported(job) == {
        "bookmark 3": "a Karakeep note, not a web page",
        "bookmark 4": "a file uploaded to Karakeep, not a web page",
        "bookmark 5": "the createdAt 'hier' is not a date",
        "bookmark 6": "has no address (url)",
        "bookmark 8": "the field archived is not true or false",
    }
    assert reported(job, "notes") == {"bookmark 7": "control characters removed"}
    clic = Bookmark.objects.get(owner=user, page__url__endswith="/karakeep/clic")
    assert clic.description == "Ma note sur l'enquête"
    assert clic.created_at.isoformat() == "2024-03-09T16:00:00+00:00"
    assert not clic.unread and clic.tags == ["travail", "plateformes", "recherche"]


def linkwarden_count():
    backup = json.loads(fixture_text("linkwarden.json"))
    names = {c["id"]: c for c in backup["collections"]}
    good, folders = [], []
    for collection in backup["collections"]:
        if not isinstance(collection["links"], list):
            continue
        for link in collection["links"]:
            if link.get("url") and isinstance(link["name"], str):
                good.append(link)
                c = collection
                while c is not None:
                    folders += [] if c["name"] == "Unorganized" else [c["name"]]
                    c = names.get(c["parentId"])
    return {
        "bookmarks": len(good),
        "tags": tags_of(*[t["name"] for link in good for t in link["tags"]], *folders),
        "highlights": 0,
        "notes": sum(bool(link.get("description")) for link in good),
        "comments": 0,
        "unread": 0,
        "private": 0,
    }


def test_a_linkwarden_backup_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, "linkwarden.json")
    assert job.file_format == "linkwarden"
    assert library_counts(user) == linkwarden_count()
    assert reported(job) == {
        "collection 2, link 2": "has no address (url)",
        "collection 3, link 2": "the field name is not text",
        "collection 4": "is not a collection of links",
    }
    clic = Bookmark.objects.get(owner=user, page__url__endswith="/linkwarden/clic")
    assert clic.created_at.year == 2019  # importDate: when it was first saved, elsewhere
    chapter = Bookmark.objects.get(owner=user, page__url__endswith="/chapitre")
    assert chapter.tags == ["thèse", "recherche"]  # the nested collection's path


def test_linkwarden_collections_stay_folders_when_asked():
    result = importers.parse(fixture("linkwarden.json"), folders_as_tags=False)
    assert result.items[2].folders == ["Recherche", "Thèse"]
    assert result.items[2].tags == ["thèse"]


def test_karakeep_and_linkwarden_are_recognised_from_their_content():
    assert importers.detect_format(fixture_text("karakeep.json")) == "karakeep"
    assert importers.detect_format(fixture_text("linkwarden.json")) == "linkwarden"

"""W3C Web Annotation (JSON-LD) presenters for highlights; the API and the exports use them.

A highlight becomes an Annotation whose target is the page with a TextQuoteSelector (and a
TextPositionSelector when its offsets are known); its note is a TextualBody with purpose
"commenting" and each of its bookmark's tags a TextualBody with purpose "tagging".
https://www.w3.org/TR/annotation-model/
"""

from datetime import UTC

from django.conf import settings

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _base(base_url):
    return (base_url or settings.SITE_URL).rstrip("/")


def _time(value):
    """xsd:dateTime in UTC with a Z, as the model's examples write it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def highlight_iri(highlight, base_url=None):
    return f"{_base(base_url)}/api/v1/highlights/{highlight.pk}.jsonld"


def collection_iri(bookmark, base_url=None):
    return f"{_base(base_url)}/api/v1/bookmarks/{bookmark.pk}/annotations.jsonld"


def agent(user, base_url=None):
    agent = {
        "id": f"{_base(base_url)}/u/{user.username}/",
        "type": "Person",
        "nickname": user.username,
    }
    if getattr(user, "display_name", ""):
        agent["name"] = user.display_name
    return agent


def selectors(highlight):
    quote = {"type": "TextQuoteSelector", "exact": highlight.exact}
    if highlight.prefix:
        quote["prefix"] = highlight.prefix
    if highlight.suffix:
        quote["suffix"] = highlight.suffix
    found = [quote]
    if highlight.start is not None and highlight.end is not None:
        found.append(
            {"type": "TextPositionSelector", "start": highlight.start, "end": highlight.end}
        )
    return found


def annotation(highlight, *, base_url=None, tags=None):
    """One highlight as a Web Annotation. `tags` default to the highlight's bookmark's tags."""
    bookmark = highlight.bookmark
    tags = bookmark.tags if tags is None else tags
    bodies = []
    if highlight.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": highlight.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    result = {
        "@context": CONTEXT,
        "id": highlight_iri(highlight, base_url),
        "type": "Annotation",
        "motivation": "commenting" if highlight.note else "highlighting",
        "created": _time(highlight.created_at),
        "modified": _time(highlight.updated_at or highlight.created_at),
        "creator": agent(highlight.author, base_url),
        "generator": {"id": _base(base_url) + "/", "type": "Software", "name": "Commonplace"},
    }
    if bodies:
        result["body"] = bodies
    result["target"] = {
        "type": "SpecificResource",
        "source": bookmark.page.url,
        "selector": selectors(highlight),
    }
    return result


def annotation_collection(bookmark, highlights, *, base_url=None):
    """The bookmark's highlights as one AnnotationCollection with its single page embedded."""
    iri = collection_iri(bookmark, base_url)
    items = [annotation(h, base_url=base_url, tags=bookmark.tags) for h in highlights]
    collection = {
        "@context": CONTEXT,
        "id": iri,
        "type": "AnnotationCollection",
        "label": bookmark.display_title,
        "total": len(items),
        "generator": {"id": _base(base_url) + "/", "type": "Software", "name": "Commonplace"},
    }
    if items:
        # Items carry their own @context in an export; inside a collection it is inherited.
        for item in items:
            item.pop("@context", None)
        collection["first"] = {
            "id": f"{iri}?page=1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = f"{iri}?page=1"
    return collection

"""W3C Web Annotation JSON-LD: shapes, and every MUST of the W3C test suite's schemas."""

import json

import pytest

from tests.api import w3c
from tests.factories import BookmarkFactory, HighlightFactory, PageFactory

pytestmark = pytest.mark.django_db

needs_suite = pytest.mark.skipif(
    not w3c.suite_present(),
    reason=f"W3C Web Annotation test suite not found at {w3c.SUITE} (shared/ beside the repo)",
)


@pytest.fixture
def annotated(user):
    page = PageFactory(url="https://exemple.fr/micro-travail", title="Le micro-travail")
    bookmark = BookmarkFactory(owner=user, page=page, tags=["travail", "plateformes"])
    noted = HighlightFactory(
        bookmark=bookmark,
        author=user,
        exact="les travailleurs « micro-travaillent »",
        prefix="Des milliers de ",
        suffix=" chaque jour",
        start=120,
        end=158,
        note="L'essentiel de l'article.",
    )
    plain = HighlightFactory(bookmark=bookmark, author=user, exact="sans note ni position")
    return bookmark, noted, plain


def test_a_highlight_is_an_annotation_with_quote_and_position_selectors(client_for, annotated):
    bookmark, noted, _plain = annotated
    response = client_for(None).get(f"/api/v1/highlights/{noted.pk}.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = json.loads(response.content)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "Annotation"
    assert doc["id"].endswith(f"/api/v1/highlights/{noted.pk}.jsonld")
    assert doc["target"]["source"] == "https://exemple.fr/micro-travail"
    quote, position = doc["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "les travailleurs « micro-travaillent »",
        "prefix": "Des milliers de ",
        "suffix": " chaque jour",
    }
    assert position == {"type": "TextPositionSelector", "start": 120, "end": 158}
    bodies = {(b["purpose"], b["value"]) for b in doc["body"]}
    assert bodies == {
        ("commenting", "L'essentiel de l'article."),
        ("tagging", "travail"),
        ("tagging", "plateformes"),
    }
    assert doc["creator"]["nickname"] == noted.author.username


def test_a_bookmark_gives_an_annotation_collection_of_its_highlights(client_for, annotated):
    bookmark, noted, plain = annotated
    response = client_for(None).get(f"/api/v1/bookmarks/{bookmark.pk}/annotations.jsonld")
    assert response.status_code == 200
    doc = response.json()
    assert doc["type"] == "AnnotationCollection"
    assert doc["total"] == 2
    assert doc["label"] == bookmark.display_title
    items = doc["first"]["items"]
    assert {i["id"].rsplit("/", 1)[1] for i in items} == {
        f"{noted.pk}.jsonld",
        f"{plain.pk}.jsonld",
    }
    assert all(i["type"] == "Annotation" for i in items)


def test_plain_json_is_still_served_on_request(client_for, annotated):
    _bookmark, noted, _plain = annotated
    response = client_for(None).get(
        f"/api/v1/highlights/{noted.pk}.jsonld", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json()["type"] == "Annotation"


@needs_suite
def test_annotations_pass_every_must_of_the_w3c_suite(client_for, annotated):
    assert w3c.must_count("annotations/annotationMusts.test") > 40
    client = client_for(None)
    bookmark, noted, plain = annotated
    for highlight in (noted, plain):
        doc = client.get(f"/api/v1/highlights/{highlight.pk}.jsonld").json()
        assert w3c.failures(doc, "annotations/annotationMusts.test") == []
    collection = client.get(f"/api/v1/bookmarks/{bookmark.pk}/annotations.jsonld").json()
    for item in collection["first"]["items"]:
        standalone = {"@context": collection["@context"], **item}
        assert w3c.failures(standalone, "annotations/annotationMusts.test") == []


@needs_suite
def test_collections_pass_every_must_of_the_w3c_suite(client_for, annotated, user):
    client = client_for(None)
    bookmark, _noted, _plain = annotated
    assert w3c.must_count("collections/collectionMusts.test") >= 10
    full = client.get(f"/api/v1/bookmarks/{bookmark.pk}/annotations.jsonld").json()
    assert w3c.failures(full, "collections/collectionMusts.test") == []
    empty = BookmarkFactory(owner=user)
    doc = client.get(f"/api/v1/bookmarks/{empty.pk}/annotations.jsonld").json()
    assert doc["total"] == 0
    assert w3c.failures(doc, "collections/collectionMusts.test") == []


@needs_suite
def test_the_runner_rejects_the_suites_incorrect_samples():
    """The runner itself is checked: broken samples must fail at least one MUST."""
    samples = {}
    for path in sorted((w3c.SUITE / "tools" / "samples" / "incorrect").glob("anno*.json")):
        try:  # some incorrect samples are not even JSON: nothing to run the schemas on
            samples[path.name] = json.loads(path.read_text())
        except json.JSONDecodeError:
            continue
    assert samples
    rejected = [
        name
        for name, doc in samples.items()
        if w3c.failures(doc, "annotations/annotationMusts.test")
    ]
    assert rejected == list(samples)


@needs_suite
def test_the_runner_accepts_the_suites_correct_samples():
    dropped = {"anno11.json", "anno12.json", "anno13.json"}  # Composite/List: not in the final spec
    accepted, refused = 0, []
    for sample in sorted((w3c.SUITE / "tools" / "samples" / "correct").glob("anno*.json")):
        doc = json.loads(sample.read_text())
        if sample.name in dropped or doc.get("type") != "Annotation":
            continue
        if w3c.failures(doc, "annotations/annotationMusts.test"):
            refused.append(sample.name)
        else:
            accepted += 1
    assert refused == []
    assert accepted >= 10

"""A small judged set: for each query, the order a reader expects by relevance.

The tiers: the word in the title, then only in the tags, then in the description, a highlight
or a note, then only in the page text. Within a tier the order is left to the ranking, so the
judgements are lists of tiers (sets). French and English words, with and without their
accents; a tag-only match on a long page still beats a short description match. Held by
/search/, a group's library search, My library and the API.
"""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from bookmarks.models import Bookmark
from library.forms import library_params
from library.selectors import group_library, user_library
from search.selectors import filter_by_keyword, order_by_relevance, search_items
from tests.factories import (
    BookmarkFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def judged():
    """A French group whose items match "travail" in different places; the newest items are
    the weakest matches, so date order would put them first."""
    owner = UserFactory()
    group = GroupFactory(slug="tic-travail")
    MembershipFactory(group=group, user=owner)

    def save(key, days, **fields):
        page_fields = {k[5:]: fields.pop(k) for k in list(fields) if k.startswith("page_")}
        page = PageFactory(title=fields.get("title", ""), **page_fields)
        made = BookmarkFactory(page=page, group=group, owner=owner, created_at=ago(days), **fields)
        return key, made

    items = dict(
        [
            save("title", 30, title="Le travail des plateformes numériques", tags=["économie"]),
            save("title-prefix", 25, title="Les travailleurs du clic", tags=[]),
            save("tag", 10, title="Un rapport de l'OIT", tags=["travail", "rapport"]),
            save("tag-2", 9, title="Chiffres 2025", tags=["télétravail", "travail"]),
            save("description", 5, title="Une enquête", description="Sur le travail gratuit."),
            save(
                "text",
                1,
                title="Revue de presse",
                page_text="Cette semaine, on parle de travail et de congés. " * 20,
            ),
            save("unrelated", 0, title="Recette du pain", tags=["cuisine"]),
            # a tag-only match on a long page: the length must not sink it under the body tier
            save("tag-long", 8, title="Notes de lecture", tags=["travail"], page_text=LONG),
            save("highlight", 4, title="Chronique du lundi"),
            # accents: the query may be typed with or without them
            save("accent-title", 35, title="Télétravail : le guide", tags=[]),
            save("accent-body", 2, title="Une brève", description="Le télétravail progresse."),
            # English
            save("en-title", 40, title="Working from home, a survey", tags=["survey"]),
            save("en-tag", 12, title="OECD outlook 2026", tags=["work"], page_text=LONG_EN),
            save("en-body", 6, title="Weekly digest", description="A short note on work."),
            save(
                "en-text",
                1,
                title="Links of the week",
                page_text="This week we read about work, pay and holidays. " * 20,
            ),
        ]
    )
    HighlightFactory(bookmark=items["description"], exact="une note", note="travail de nuit")
    HighlightFactory(bookmark=items["highlight"], exact="le travail invisible des femmes")
    for b in Bookmark.objects.filter(pk__in=[b.pk for b in items.values()]):
        b.search_vector = None  # the trigger rebuilds it with the page text
        b.save()
    return {"group": group, "owner": owner, "items": items}


LONG = "Un long compte rendu de lecture, chapitre après chapitre, sans le mot cherché. " * 120
LONG_EN = "A long annual report on growth, trade and prices, chapter after chapter. " * 120

JUDGEMENTS = [
    # (query, tiers of keys in the expected order)
    (
        "travail",
        [
            {"title", "title-prefix"},
            {"tag", "tag-2", "tag-long"},
            {"description", "highlight"},
            {"text"},
        ],
    ),
    ("plateformes", [{"title"}]),
    ("rapport", [{"tag"}]),  # in the title and a tag: one item, not twice
    ("économie", [{"title"}]),  # a tag with an accent matches as a tag
    ("economie", [{"title"}]),  # ... and typed without it
    ("télétravail", [{"accent-title"}, {"tag-2"}, {"accent-body"}]),
    ("teletravail", [{"accent-title"}, {"tag-2"}, {"accent-body"}]),
    ("TÉLÉTRAVAIL", [{"accent-title"}, {"tag-2"}, {"accent-body"}]),
    ("work", [{"en-title"}, {"en-tag"}, {"en-body"}, {"en-text"}]),
    ("Work", [{"en-title"}, {"en-tag"}, {"en-body"}, {"en-text"}]),
    ("survey", [{"en-title"}]),  # in the title and a tag
    ("work home", [{"en-title"}]),  # every word must match
]


def _tiers(order, items, tiers):
    names = {b.pk: key for key, b in items.items()}
    got = [names[pk] for pk in order]
    expected_length = sum(len(tier) for tier in tiers)
    assert len(got) == expected_length, got
    position = 0
    for tier in tiers:
        assert set(got[position : position + len(tier)]) == tier, got
        position += len(tier)


@pytest.mark.parametrize(("q", "tiers"), JUDGEMENTS)
def test_search_page_ranks_title_then_tags_then_description_then_text(judged, q, tiers):
    results = search_items(judged["owner"], q, sort="relevance")
    _tiers([r.item.pk for r in results.items], judged["items"], tiers)


@pytest.mark.parametrize(("q", "tiers"), JUDGEMENTS)
def test_group_library_search_defaults_to_relevance_with_the_same_order(judged, q, tiers):
    params = library_params(_query(q=q))
    assert params["filters"].sort == "relevance"
    listing = group_library(judged["group"], judged["owner"], params["filters"])
    page = listing.page(1, 20)
    _tiers([item.pk for item in page.items], judged["items"], tiers)


@pytest.mark.parametrize(("q", "tiers"), JUDGEMENTS)
def test_api_relevance_order_holds_the_judgements(judged, q, tiers):
    qs = filter_by_keyword(Bookmark.objects.all(), q, marks=False)
    _tiers(list(order_by_relevance(qs, q).values_list("pk", flat=True)), judged["items"], tiers)


def test_date_is_still_offered_and_kept_when_chosen(judged, client):
    client.force_login(judged["owner"])
    url = reverse("library:group", args=["tic-travail"])
    response = client.get(url, {"q": "travail"})
    assert response.context["filters"].sort == "relevance"
    assert b'aria-current="true">Relevance' in response.content
    response = client.get(url, {"q": "travail", "sort": "date"})
    assert [b.pk for b in response.context["page"].items][0] == judged["items"]["text"].pk
    # without a keyword there is nothing to rank: date order
    assert library_params(_query())["filters"].sort == "date"


@pytest.fixture
def personal(judged):
    """The same judged items, copied into their owner's personal library."""
    owner = judged["owner"]
    items = {}
    for key, b in judged["items"].items():
        copied = BookmarkFactory(
            page=b.page,
            owner=owner,
            group=None,
            title=b.title,
            tags=b.tags,
            description=b.description,
            created_at=b.created_at,
        )
        for h in b.highlights.all():
            HighlightFactory(bookmark=copied, exact=h.exact, note=h.note)
        items[key] = copied
    for b in Bookmark.objects.filter(pk__in=[b.pk for b in items.values()]):
        b.search_vector = None
        b.save()
    return {"owner": owner, "items": items}


@pytest.mark.parametrize(("q", "tiers"), JUDGEMENTS)
def test_my_library_search_defaults_to_relevance_with_the_same_order(personal, q, tiers):
    params = library_params(_query(q=q))
    listing = user_library(personal["owner"], personal["owner"], params["filters"])
    _tiers([item.pk for item in listing.page(1, 20).items], personal["items"], tiers)


def test_every_sort_control_shows_relevance_with_a_keyword(judged, personal, client):
    client.force_login(personal["owner"])
    pages = {
        "group library": reverse("library:group", args=["tic-travail"]),
        "my library": reverse("library:user", args=[personal["owner"].username]),
    }
    for name, url in pages.items():
        html = client.get(url, {"q": "travail"}).text
        assert '<strong aria-current="true">Relevance</strong>' in html, name
        html = client.get(url).text  # no keyword: date order, relevance greyed out
        assert '<strong aria-current="true">Date</strong>' in html, name
    response = client.get(reverse("search:search"), {"q": "travail"})
    assert response.context["sort"] == "relevance"
    assert 'aria-current="true" class="current">Relevance</a>' in response.text
    # everything the owner may see: the title matches of both libraries come first
    shown = [r.item.pk for r in response.context["results"].items]
    keys = ("title", "title-prefix")
    titles = {lib["items"][key].pk for lib in (judged, personal) for key in keys}
    assert set(shown[:4]) == titles


def _query(**values):
    query = QueryDict(mutable=True)
    query.update(values)
    return query


@pytest.mark.parametrize(
    "q",
    [
        "economie plateformes",
        "oeuvres",
        "strasse",
        "travail micro",
        "ecole",
        '"plate formes"',
        '"ecole des"',
        "des -rien",
    ],
)
def test_the_title_tier_s_quick_test_never_changes_a_rank(q, monkeypatch):
    """InTitle first asks whether the title's unaccented text holds a word the query needs
    (title_words): the ranks are those of parsing every title."""
    from search import selectors

    titles = [
        "Économie des PLATEFORMES",
        "ŒUVRES complètes",
        "Die Straße",
        "Le micro-travail",
        "L'École des plate-formes",
        "Rien du tout",
    ]
    for title in titles:  # each also in the tags: weight A either way
        BookmarkFactory(
            title=title,
            tags=[
                "economie",
                "plateformes",
                "oeuvres",
                "strasse",
                "travail",
                "micro",
                "ecole",
                "plate",
                "formes",
            ],
        )

    def ranks():
        return sorted((r.pk, round(r.rank, 6)) for r in search_items(None, q, per_page=50).items)

    quick = ranks()
    monkeypatch.setattr(selectors, "title_words", lambda text: None)
    assert ranks() == quick
    assert any(rank >= selectors.TITLE_BONUS for _pk, rank in quick)  # some titles match


def test_title_words_are_one_word_per_alternative_of_the_first_and_operand():
    from search.selectors import title_words

    assert title_words("( 'plateformes':* | '~plateform' ) & ( 'travail':* | '~travail' )") == [
        "plateformes"
    ]
    assert title_words("'conditions' <-> 'de' <-> 'travail' & 'x'") == ["conditions"]
    assert title_words("'x' <-> 'yy' | 'zzz':* | '~z'") == ["yy", "zzz"]
    assert title_words("'~chevaux' & 'b'") == []  # a stem never matches a title
    assert title_words("( 'a' ) & ( 'b' )") == ["a"]
    assert title_words("'l''e(c)ole':* & 'b'") == ["l'e(c)ole"]
    assert title_words("'a\\\\b' & 'c'") is None


@pytest.mark.parametrize("typed", ["Überwachung", "ueberwachung"])
def test_a_german_title_with_umlauts_is_in_the_title_tier(typed):
    """The title is folded as the vector is (Ü → ue) before it is matched for its tier."""
    from search.selectors import TITLE_BONUS

    titled = BookmarkFactory(title="Die Überwachung der Bürger")
    tagged = BookmarkFactory(title="Sans rapport", tags=["ueberwachung"])
    ranks = {r.pk: r.rank for r in search_items(None, typed).items}
    assert ranks[titled.pk] >= TITLE_BONUS > ranks[tagged.pk]

"""The group page's keyword box, as the reference group reads it: the heading, marked titles,
an escaped snippet, both sorts, topics, and nothing of a private group for outsiders."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADING = 'Group items matching "travail" in title, tags, annotations or url'
HEADING_FR = (
    "Éléments du groupe correspondant à « travail » dans le titre, les tags, les annotations ou "
    "l’url"
)


def group_url(group, **params):
    url = reverse("library:group", args=[group.slug])
    return f"{url}?{urlencode(params)}" if params else url


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def group(db):
    return GroupFactory(name="Tic&Travail")


def shown(response):
    return [(item.item_kind, item.pk) for item in response.context["page"].items]


def test_keyword_box_heading_in_english_and_in_french(client, group):
    BookmarkFactory(group=group, title="Les travailleurs du clic")
    html = client.get(group_url(group, q="travail")).content.decode()
    assert HEADING in html
    french = client.get(group_url(group, q="travail"), HTTP_ACCEPT_LANGUAGE="fr").content
    assert HEADING_FR in french.decode()


def test_keyword_in_the_heading_is_escaped(client, group):
    html = client.get(group_url(group, q='<b>travail</b> "x"')).content.decode()
    assert "<b>travail</b>" not in html
    assert "&lt;b&gt;travail&lt;/b&gt;" in html


def test_reference_case_finds_the_family_of_travail_with_marked_titles(client, group):
    family = [
        BookmarkFactory(group=group, title="Les travailleurs du clic", created_at=ago(3)),
        BookmarkFactory(group=group, title="Elle travaille la nuit", created_at=ago(2)),
        BookmarkFactory(group=group, title="Ils micro-travaillent", created_at=ago(1)),
    ]
    BookmarkFactory(group=group, title="Cuisine")
    BookmarkFactory(title="Le travail ailleurs")  # another library
    response = client.get(group_url(group, q="travail"))
    assert shown(response) == [("bookmark", b.pk) for b in reversed(family)]
    html = response.content.decode()
    assert "<mark>travailleurs</mark> du clic" in html
    assert "Elle <mark>travaille</mark> la nuit" in html
    assert "micro-<mark>travaillent</mark>" in html
    assert "1 - 3 of 3" in html


def test_matches_in_tags_annotations_and_url_are_found(client, group):
    by_tag = BookmarkFactory(group=group, title="a", tags=["travail"])
    by_highlight = BookmarkFactory(group=group, title="b")
    HighlightFactory(bookmark=by_highlight, exact="le travail du dimanche")
    by_note = BookmarkFactory(group=group, title="c")
    HighlightFactory(bookmark=by_note, exact="x", note="travail à revoir")
    by_comment = BookmarkFactory(group=group, title="d")
    CommentFactory(bookmark=by_comment, body="Sur le travail")
    by_url = BookmarkFactory(
        group=group, title="e", page=PageFactory(url="https://example.org/droit-du-travail")
    )
    response = client.get(group_url(group, q="travail"))
    found = {pk for _kind, pk in shown(response)}
    assert found == {b.pk for b in (by_tag, by_highlight, by_note, by_comment, by_url)}


def test_snippet_marks_the_words_and_escapes_the_page(client, group):
    page = PageFactory(
        text='Avant <script>alert("x")</script> & les travailleurs <b>précaires</b>.'
    )
    BookmarkFactory(group=group, page=page, title="Enquête")
    html = client.get(group_url(group, q="travail")).content.decode()
    snippet = re.search(r'<p class="item-snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>travailleurs</mark>" in snippet
    assert "alert(&quot;x&quot;)" in snippet and "&amp; les" in snippet
    # the only markup left is the marks: tags in the text are dropped or escaped
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_title_with_markup_is_escaped_around_the_mark(client, group):
    BookmarkFactory(group=group, title="<i>Travail</i> & précarité")
    html = client.get(group_url(group, q="travail")).content.decode()
    assert "&lt;i&gt;<mark>Travail</mark>&lt;/i&gt; &amp; précarité" in html


def test_relevance_puts_title_matches_first_and_date_the_newest(client, group):
    in_text = BookmarkFactory(
        group=group, title="Autre", page=PageFactory(text="du travail"), created_at=ago(0)
    )
    in_title = BookmarkFactory(group=group, title="Le travail", created_at=ago(5))
    by_date = client.get(group_url(group, q="travail", sort="date"))
    assert shown(by_date) == [("bookmark", in_text.pk), ("bookmark", in_title.pk)]
    by_relevance = client.get(group_url(group, q="travail"))  # the default with a keyword
    assert shown(by_relevance) == [("bookmark", in_title.pk), ("bookmark", in_text.pk)]
    assert "<mark>travail</mark>" in by_relevance.content.decode()


def test_topics_are_searched_and_their_titles_marked(client, group):
    topic = Topic.objects.create(group=group, title="Réunion sur le travail", body="Jeudi")
    Topic.objects.create(group=group, title="Pique-nique", body="Samedi")
    bookmark = BookmarkFactory(group=group, title="Le travail du clic")
    everything = client.get(group_url(group, q="travail"))
    assert set(shown(everything)) == {("topic", topic.pk), ("bookmark", bookmark.pk)}
    topics = client.get(group_url(group, q="travail", filter="topics"))
    assert shown(topics) == [("topic", topic.pk)]
    assert "Réunion sur le <mark>travail</mark>" in topics.content.decode()
    by_body = client.get(group_url(group, q="jeudi", filter="topics"))
    assert shown(by_body) == [("topic", topic.pk)]
    bookmarks = client.get(group_url(group, q="travail", filter="bookmarks"))
    assert shown(bookmarks) == [("bookmark", bookmark.pk)]


def test_query_operators_work_in_the_keyword_box(client, group):
    ana = MembershipFactory(group=group, user=UserFactory(username="ana")).user
    wanted = BookmarkFactory(group=group, owner=ana, title="travail", tags=["gig"])
    BookmarkFactory(group=group, owner=ana, title="travail", tags=["autre"])
    BookmarkFactory(group=group, title="travail", tags=["gig"])
    response = client.get(group_url(group, q="travail tag:gig user:ana"))
    assert shown(response) == [("bookmark", wanted.pk)]


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "a & !b :* ' ; --",
        "'; DROP TABLE bookmarks_bookmark; --",
        "x" * 2000,
        "-",
        "OR",
        "tag:",
        "site:",
        "before:2020-99-99",
        "«",
    ],
)
def test_malformed_keywords_never_fail(client, group, q):
    BookmarkFactory(group=group, title="travail")
    for sort in ("date", "relevance"):
        assert client.get(group_url(group, q=q, sort=sort)).status_code == 200


def test_private_group_search_is_404_for_outsiders_and_leaks_nothing(client):
    secret = GroupFactory(visibility="private", name="Secret")
    BookmarkFactory(group=secret, title="travail confidentiel")
    outsider = UserFactory()
    for viewer in (None, outsider):
        if viewer:
            client.force_login(viewer)
        response = client.get(group_url(secret, q="travail"))
        assert response.status_code == 404
        assert "confidentiel" not in response.content.decode()
    member = MembershipFactory(group=secret).user
    client.force_login(member)
    assert "confidentiel" in client.get(group_url(secret, q="travail")).content.decode()


@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_twenty_keyword_matches_cost_the_same_queries_as_two(
    client, group, django_assert_max_num_queries, sort
):
    viewer = MembershipFactory(group=group).user
    client.force_login(viewer)

    def fill(n):
        for i in range(n):
            bookmark = BookmarkFactory(group=group, title=f"travail {i}", tags=["t1", "t2"])
            HighlightFactory(bookmark=bookmark, exact="le travail")
            CommentFactory(bookmark=bookmark, body="sur le travail")
            Topic.objects.create(group=group, author=viewer, title=f"Travail {i}")

    url = group_url(group, q="travail", sort=sort)
    fill(2)
    client.get(url)  # warm the tag-cloud cache
    with django_assert_max_num_queries(25) as two:
        client.get(url)
    budget = len(two)
    fill(18)
    client.get(url)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert len(response.context["page"].items) == 20


def test_keyword_box_of_a_personal_library_hides_private_items_from_others(client):
    owner = UserFactory()
    public = BookmarkFactory(owner=owner, title="Le travail public")
    private = BookmarkFactory(owner=owner, title="Le travail privé", private=True)
    BookmarkFactory(title="Le travail d'un autre")
    url = reverse("library:user", args=[owner.username]) + "?q=travail"
    client.force_login(UserFactory())
    assert shown(client.get(url)) == [("bookmark", public.pk)]
    client.force_login(owner)
    assert set(shown(client.get(url))) == {("bookmark", public.pk), ("bookmark", private.pk)}
    assert "<mark>travail</mark>" in client.get(url).content.decode()


def test_by_relevance_topics_and_bookmarks_are_ranked_together(client, group):
    topic = Topic.objects.create(group=group, title="Le travail de nuit", body="Réunion")
    in_text = BookmarkFactory(
        group=group, title="Sans rapport", description="on y parle de travail"
    )
    in_title = BookmarkFactory(group=group, title="Le travail des livreurs")
    ranked = client.get(group_url(group, q="travail", sort="relevance"))
    order = shown(ranked)
    assert set(order) == {("topic", topic.pk), ("bookmark", in_text.pk), ("bookmark", in_title.pk)}
    # a title match, bookmark or topic, ranks above a match in the description
    assert order[-1] == ("bookmark", in_text.pk)
    only_topics = client.get(group_url(group, q="travail", sort="relevance", filter="topics"))
    assert shown(only_topics) == [("topic", topic.pk)]


def test_a_keyword_with_many_matches_says_more_than_it_counted(client, group, monkeypatch):
    from search import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 20)
    for n in range(21):
        BookmarkFactory(group=group, title=f"Travail numéro {n}", created_at=ago(n))
    response = client.get(group_url(group, q="travail", sort="date"))
    assert "1 - 20 of 20+" in response.content.decode()
    assert len(shown(response)) == 20
    # the library's own filters join the keyword: tag, saved by, kind
    tagged = BookmarkFactory(group=group, title="Travail à part", tags=["gig"])
    assert shown(client.get(group_url(group, q="travail", tag="gig"))) == [("bookmark", tagged.pk)]


def test_with_a_keyword_the_sidebar_shows_the_tags_of_the_results(client, group):
    BookmarkFactory(group=group, title="Le travail du clic", tags=["gig", "enquête"])
    BookmarkFactory(group=group, title="Travail de nuit", tags=["gig"])
    BookmarkFactory(group=group, title="Recette de cuisine", tags=["cuisine"])
    html = client.get(group_url(group, q="travail")).content.decode()
    side = html[html.index('id="tags-heading"') :]
    assert "Tags in these results" in side
    assert '>gig</a> <span class="muted">2</span>' in side
    assert "cuisine" not in side
    # a click refines: the tag joins the keyword
    assert "q=travail" in side and "tag=gig" in side
    french = client.get(group_url(group, q="travail"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tags de ces résultats" in french

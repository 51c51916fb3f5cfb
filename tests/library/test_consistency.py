"""One day format across the library and /search/, tags in a reader's alphabetical order, the
topic breadcrumb from Home."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse

from bookmarks.selectors import cloud
from bookmarks.tags import tag_sort_key
from groups.models import Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(db):
    group = GroupFactory(slug="salle", visibility="public")
    member = MembershipFactory(group=group).user
    BookmarkFactory(
        group=group,
        owner=member,
        title="Le travail du clic",
        created_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC),
    )
    BookmarkFactory(
        group=group,
        owner=member,
        title="Le travail en décembre",
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    return group


def test_library_and_search_show_the_same_day_format(client, saved):
    library = client.get(reverse("library:group", args=[saved.slug])).text
    search = client.get("/search/?q=travail").text
    for html in (library, search):
        assert "11 Nov 2026" in html
        assert "Nov. 11, 2026" not in html


def test_french_days_are_lower_case_with_a_full_stop(client, saved):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for url in (reverse("library:group", args=[saved.slug]), "/search/?q=travail"):
        html = client.get(url).text
        assert "1 déc. 2026" in html, url
        assert "1 Déc 2026" not in html, url


def test_tags_sort_without_regard_to_accents():
    tags = ["travail-gratuit", "écrans", "télétravail", "emploi", "zèbre", "droit"]
    assert sorted(tags, key=tag_sort_key) == [
        "droit",
        "écrans",
        "emploi",
        "télétravail",
        "travail-gratuit",
        "zèbre",
    ]
    counts = [(t, 1) for t in tags]
    assert [t["tag"] for t in cloud(counts)] == sorted(tags, key=tag_sort_key)


def test_topic_pages_breadcrumb_starts_with_home(client, saved):
    topic = Topic.objects.create(group=saved, author=saved.memberships.first().user, title="Sujet")
    for url in (
        reverse("annotations:topic_list", args=[saved.slug]),
        reverse("annotations:topic", args=[saved.slug, topic.pk]),
    ):
        html = client.get(url).text
        crumb = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
        assert crumb.index(">Home<") < crumb.index(saved.name), url

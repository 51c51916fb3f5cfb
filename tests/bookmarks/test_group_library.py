import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Topic
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory

pytestmark = pytest.mark.django_db


def group_url(group, **params):
    from urllib.parse import urlencode

    url = reverse("library:group", args=[group.slug])
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def make_items(group, n, owner=None, start=None, **kwargs):
    start = start or timezone.now()
    items = []
    for i in range(n):
        kwargs_i = dict(kwargs)
        if owner is not None:
            kwargs_i["owner"] = owner
        items.append(
            BookmarkFactory(
                group=group, created_at=start - datetime.timedelta(minutes=i), **kwargs_i
            )
        )
    return items


def titles(response):
    return [
        item.display_title
        for item in response.context["page"].items
        if item.item_kind == "bookmark"
    ]


def test_group_page_shows_breadcrumb_header_and_items(client, public_group, member_of):
    saver = member_of(public_group)
    page = PageFactory(site_name="Le Monde")
    bookmark = BookmarkFactory(
        group=public_group,
        owner=saver,
        page=page,
        title="Les travailleurs du clic",
        description="Une enquête « micro-travail »",
        tags=["travail", "plateformes"],
        view_count=3,
    )
    HighlightFactory(bookmark=bookmark)
    CommentFactory(bookmark=bookmark)
    response = client.get(group_url(public_group))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Breadcrumb"' in html and public_group.name in html
    assert "1 member" in html
    assert "Les travailleurs du clic" in html
    assert reverse("bookmarks:go", args=[bookmark.pk]) in html
    assert reverse("library:user", args=[saver.username]) in html
    assert "Le Monde" in html and "3 views" in html
    assert "micro-travail" in html
    assert "?tag=travail" in html
    assert "1 highlight" in html and "1 comment" in html
    assert "1 - 1 of 1" in html
    assert "Showing 20 items per page" in html


def test_private_group_is_404_for_a_non_member_and_readable_for_a_member(
    client, private_group, member_of, user
):
    BookmarkFactory(group=private_group, title="secret")
    assert client.get(group_url(private_group)).status_code == 404
    client.force_login(user)
    assert client.get(group_url(private_group)).status_code == 404
    client.force_login(member_of(private_group))
    response = client.get(group_url(private_group))
    assert response.status_code == 200
    assert "secret" in response.content.decode()


def test_paging_shows_ranges_and_out_of_range_page_shows_the_last(client, public_group):
    make_items(public_group, 45)
    response = client.get(group_url(public_group, page=2))
    html = response.content.decode()
    assert "21 - 40 of 45" in html
    assert "« First" in html and "‹ Prev" in html and "Next ›" in html and "Last »" in html
    response = client.get(group_url(public_group, page=99))
    assert "41 - 45 of 45" in response.content.decode()
    assert response.context["page"].number == 3
    response = client.get(group_url(public_group, page="abc", per_page=50))
    assert "1 - 45 of 45" in response.content.decode()
    assert "Showing 50 items per page" in response.content.decode()


def test_last_page_read_backwards_has_the_oldest_items_in_date_order(client, public_group):
    items = make_items(public_group, 45)
    response = client.get(group_url(public_group, page=3))
    assert [i.pk for i in response.context["page"].items] == [b.pk for b in items[40:]]
    response = client.get(group_url(public_group, page=2))
    assert [i.pk for i in response.context["page"].items] == [b.pk for b in items[20:40]]


def test_several_tags_filter_with_and(client, public_group):
    BookmarkFactory(group=public_group, title="both", tags=["a", "b"])
    BookmarkFactory(group=public_group, title="only a", tags=["a"])
    BookmarkFactory(group=public_group, title="neither", tags=["c"])
    assert sorted(titles(client.get(group_url(public_group, tag="a")))) == ["both", "only a"]
    assert titles(client.get(group_url(public_group, tag=["a", "B"]))) == ["both"]


def test_saved_by_filter(client, public_group, member_of):
    alice = member_of(public_group)
    BookmarkFactory(group=public_group, owner=alice, title="by alice")
    BookmarkFactory(group=public_group, title="by someone")
    response = client.get(group_url(public_group, user=alice.username))
    assert titles(response) == ["by alice"]
    assert "saved by" in response.content.decode()


def test_keyword_heading_and_matches(client, public_group):
    BookmarkFactory(group=public_group, title="Le travail des plateformes")
    BookmarkFactory(group=public_group, title="Cuisine")
    response = client.get(group_url(public_group, q="travail"))
    html = response.content.decode()
    assert 'Group items matching "travail" in title, tags, annotations or url' in html
    assert titles(response) == ["Le travail des plateformes"]


def test_relevance_sort_needs_a_keyword(client, public_group):
    make_items(public_group, 2)
    response = client.get(group_url(public_group, sort="relevance"))
    assert response.status_code == 200
    assert response.context["filters"].relevance is False
    response = client.get(group_url(public_group, sort="relevance", q="Article"))
    assert response.context["filters"].relevance is True


def test_topics_mix_with_bookmarks_in_date_order_under_all(client, public_group, member_of):
    now = timezone.now()
    author = member_of(public_group)
    make_items(public_group, 1, start=now - datetime.timedelta(hours=2), title="old bookmark")
    topic = Topic.objects.create(group=public_group, author=author, title="A topic")
    Topic.objects.filter(pk=topic.pk).update(created_at=now - datetime.timedelta(hours=1))
    make_items(public_group, 1, start=now, title="new bookmark")
    response = client.get(group_url(public_group))
    kinds = [(i.item_kind, getattr(i, "title", "")) for i in response.context["page"].items]
    assert kinds == [
        ("bookmark", "new bookmark"),
        ("topic", "A topic"),
        ("bookmark", "old bookmark"),
    ]
    assert "1 - 3 of 3" in response.content.decode()
    topics_only = client.get(group_url(public_group, filter="topics"))
    assert [i.item_kind for i in topics_only.context["page"].items] == ["topic"]
    bookmarks_only = client.get(group_url(public_group, filter="bookmarks"))
    assert [i.item_kind for i in bookmarks_only.context["page"].items] == ["bookmark"] * 2


def test_paging_runs_over_the_union_of_topics_and_bookmarks(client, public_group):
    now = timezone.now()
    for i in range(15):
        t = Topic.objects.create(group=public_group, title=f"topic {i}")
        Topic.objects.filter(pk=t.pk).update(created_at=now - datetime.timedelta(minutes=2 * i + 1))
    make_items(public_group, 15, start=now)
    first = client.get(group_url(public_group))
    last = client.get(group_url(public_group, page=2))
    seen = [(i.item_kind, i.pk) for i in first.context["page"].items + last.context["page"].items]
    assert len(seen) == len(set(seen)) == 30
    stamps = [i.created_at for i in first.context["page"].items + last.context["page"].items]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("view", ["simple", "middle", "full"])
def test_views_render_and_simple_hides_descriptions(client, public_group, view):
    BookmarkFactory(group=public_group, description="a long description")
    html = client.get(group_url(public_group, view=view)).content.decode()
    assert ("a long description" in html) is (view != "simple")


def test_empty_states_are_helpful(client, public_group, member_of):
    client.force_login(member_of(public_group))
    html = client.get(group_url(public_group)).content.decode()
    assert "This group&#x27;s library is empty." in html or "This group's library is empty." in html
    assert "Save the first page" in html
    html = client.get(group_url(public_group, tag="nothing")).content.decode()
    assert "Nothing matches these filters." in html


@pytest.mark.parametrize("view", ["simple", "middle", "full"])
def test_twenty_items_cost_the_same_queries_as_two(
    client, public_group, member_of, django_assert_max_num_queries, view
):
    viewer = member_of(public_group)
    client.force_login(viewer)

    def fill(n):
        for b in make_items(public_group, n, tags=["t1", "t2"]):
            HighlightFactory(bookmark=b)
            CommentFactory(bookmark=b)
        Topic.objects.create(group=public_group, author=viewer, title="a topic")

    fill(2)
    client.get(group_url(public_group, view=view))  # warm the tag-cloud cache
    with django_assert_max_num_queries(20) as two:
        client.get(group_url(public_group, view=view))
    budget = len(two)  # read now: the next request resets Django's query log
    fill(18)
    client.get(group_url(public_group, view=view))
    with django_assert_max_num_queries(budget):
        response = client.get(group_url(public_group, view=view))
    assert len(response.context["page"].items) == 20


def test_cached_counts_follow_new_and_deleted_bookmarks(client, public_group, member_of):
    from bookmarks import services

    saver = member_of(public_group)
    make_items(public_group, 3, owner=saver, tags=["x"])
    assert "1 - 3 of 3" in client.get(group_url(public_group)).content.decode()
    bookmark, _ = services.save_bookmark(
        saver, "https://example.org/new", group=public_group, tags="fresh"
    )
    html = client.get(group_url(public_group)).content.decode()
    assert "1 - 4 of 4" in html and "fresh" in html
    services.delete_bookmark(saver, bookmark)
    html = client.get(group_url(public_group)).content.decode()
    assert "1 - 3 of 3" in html and "fresh" not in html


def test_header_offers_join_to_outsiders_and_leave_to_members(
    client, user, public_group, member_of
):
    client.force_login(user)
    html = client.get(group_url(public_group)).content.decode()
    assert f'action="{reverse("groups:join", args=[public_group.slug])}"' in html
    client.force_login(member_of(public_group))
    html = client.get(group_url(public_group)).content.decode()
    assert f'href="{reverse("groups:leave", args=[public_group.slug])}"' in html
    assert "Save a page here" in html


def test_header_sends_an_owner_to_the_leave_page_instead_of_leaving_at_once(
    client, public_group, member_of
):
    member_of(public_group, "owner")  # a co-owner: the group keeps an owner after they leave
    client.force_login(member_of(public_group, "owner"))
    html = client.get(group_url(public_group)).content.decode()
    leave = reverse("groups:leave", args=[public_group.slug])
    assert f'href="{leave}"' in html
    assert f'action="{leave}"' not in html


def test_header_offers_a_request_when_the_group_asks_for_one(client, user):
    from tests.factories import GroupFactory

    group = GroupFactory(join_policy="request")
    client.force_login(user)
    html = client.get(group_url(group)).content.decode()
    assert reverse("groups:request", args=[group.slug]) in html
    assert "Ask to join" in html


def test_relevance_sort_renders_ranked_matches_with_marked_titles(client, public_group):
    BookmarkFactory(group=public_group, title="Rien à voir", description="un peu de travail")
    BookmarkFactory(group=public_group, title="Le travail du clic", tags=["travail"])
    response = client.get(group_url(public_group, q="travail", sort="relevance"))
    items = response.context["page"].items
    assert len(items) == 2
    assert items[0].title == "Le travail du clic"
    html = response.content.decode()
    if getattr(items[0], "title_marked", None):
        assert "<mark>travail</mark>" in html

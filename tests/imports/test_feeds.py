"""Atom and RSS feeds: what each shows, and the private-feed rules."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from accounts.services import regenerate_feed_token
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory
from transfer.views import feed_url

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"  # RSS 2.0 names the saver in dc:creator


def entries(response):
    assert response.status_code == 200, response.status_code
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    if root.tag == f"{ATOM}feed":
        return [
            {
                "title": e.findtext(f"{ATOM}title"),
                "link": e.find(f"{ATOM}link").get("href"),
                "author": e.findtext(f"{ATOM}author/{ATOM}name"),
                "tags": [c.get("term") for c in e.findall(f"{ATOM}category")],
                "summary": e.findtext(f"{ATOM}summary") or "",
            }
            for e in root.findall(f"{ATOM}entry")
        ]
    return [
        {
            "title": i.findtext("title"),
            "link": i.findtext("link"),
            "author": i.findtext(f"{DC}creator"),
            "tags": [c.text for c in i.findall("category")],
            "summary": i.findtext("description") or "",
        }
        for i in root.iter("item")
    ]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_group_feed_entries_carry_title_link_saver_tags_description_and_highlights(
    client, public_group, member_of, fmt
):
    member = member_of(public_group)
    bookmark = BookmarkFactory(
        owner=member,
        group=public_group,
        title="Les « micro-travailleurs »",
        description="Une enquête, « essentielle »",
        tags=["travail", "économie"],
    )
    HighlightFactory(bookmark=bookmark, exact="quelques centimes", note="à vérifier")
    HighlightFactory(bookmark=bookmark, exact="casino bonus", status="held")
    [entry] = entries(client.get(feed_url("feed_group", fmt, slug=public_group.slug)))
    assert entry["title"] == "Les « micro-travailleurs »"
    assert entry["link"] == bookmark.page.url
    assert entry["author"] == member.name
    assert entry["tags"] == ["travail", "économie"]
    assert "Une enquête, « essentielle »" in entry["summary"]
    assert "quelques centimes" in entry["summary"] and "à vérifier" in entry["summary"]
    assert "casino" not in entry["summary"]


def test_rss_feed_has_the_same_entries(client, public_group, member_of):
    BookmarkFactory(owner=member_of(public_group), group=public_group, title="Un", tags=["x"])
    [item] = entries(client.get(feed_url("feed_group", "rss", slug=public_group.slug)))
    assert item["title"] == "Un" and item["tags"] == ["x"]


def test_tag_feed_holds_only_that_tag(client, public_group, member_of):
    member = member_of(public_group)
    BookmarkFactory(owner=member, group=public_group, title="Tagged", tags=["économie"])
    BookmarkFactory(owner=member, group=public_group, title="Other", tags=["autre"])
    url = feed_url("feed_group_tag", slug=public_group.slug, tag="économie")
    assert [e["title"] for e in entries(client.get(url))] == ["Tagged"]


def test_user_feed_holds_only_public_personal_bookmarks(client, user, public_group):
    BookmarkFactory(owner=user, title="Public one")
    BookmarkFactory(owner=user, title="Private one", private=True)
    BookmarkFactory(owner=user, title="In a group", group=public_group)
    response = client.get(feed_url("feed_user", username=user.username))
    assert [e["title"] for e in entries(response)] == ["Public one"]


def test_user_feed_of_nobody_is_404(client, db):
    assert client.get(feed_url("feed_user", username="nobody")).status_code == 404


def test_private_group_feed_needs_a_members_secret_address(
    client, private_group, member_of, other_user
):
    member = member_of(private_group)
    BookmarkFactory(owner=member, group=private_group, title="Secret item")
    token = regenerate_feed_token(member)
    outsider_token = regenerate_feed_token(other_user)
    # logged in or not, the plain address of a private group's feed does not exist
    client.force_login(member)
    assert client.get(feed_url("feed_group", slug=private_group.slug)).status_code == 404
    private = client.get(feed_url("feed_group", token=token, slug=private_group.slug))
    assert [e["title"] for e in entries(private)] == ["Secret item"]
    assert private["Cache-Control"] == "private, no-store"
    for bad in (outsider_token, "wrong-token"):
        url = feed_url("feed_group", token=bad, slug=private_group.slug)
        assert client.get(url).status_code == 404


def test_regenerated_token_revokes_the_old_address(client, private_group, member_of):
    member = member_of(private_group)
    old = regenerate_feed_token(member)
    new = regenerate_feed_token(member)
    assert client.get(feed_url("feed_group", token=old, slug=private_group.slug)).status_code == 404
    assert client.get(feed_url("feed_group", token=new, slug=private_group.slug)).status_code == 200


def test_member_who_left_loses_the_private_feed(client, private_group, member_of):
    member = member_of(private_group)
    token = regenerate_feed_token(member)
    private_group.memberships.filter(user=member).delete()
    assert (
        client.get(feed_url("feed_group", token=token, slug=private_group.slug)).status_code == 404
    )


def test_search_feed_follows_the_library_query_string(
    client, public_group, private_group, member_of
):
    member = member_of(public_group)
    BookmarkFactory(owner=member, group=public_group, title="Le travail", tags=["a", "b"])
    BookmarkFactory(owner=member, group=public_group, title="Les vacances", tags=["a"])
    BookmarkFactory(owner=member_of(private_group), group=private_group, title="Travail secret")
    BookmarkFactory(owner=member, title="Travail privé", private=True)
    url = feed_url("feed_search")
    titles = [e["title"] for e in entries(client.get(url, {"q": "travail"}))]
    assert titles == ["Le travail"]
    scoped = entries(client.get(url, {"group": public_group.slug, "tag": ["a", "b"]}))
    assert [e["title"] for e in scoped] == ["Le travail"]
    assert client.get(url, {"group": private_group.slug}).status_code == 404


def test_comment_feed_shows_visible_comments_only(client, public_group, member_of):
    member = member_of(public_group)
    bookmark = BookmarkFactory(owner=member, group=public_group, title="Sujet")
    CommentFactory(bookmark=bookmark, author=member, body="Bien vu", body_html="<p>Bien vu</p>")
    CommentFactory(
        bookmark=bookmark, author=member, body="casino", body_html="<p>casino</p>", status="held"
    )
    CommentFactory(
        bookmark=bookmark, author=member, body="gone", body_html="<p>gone</p>", is_deleted=True
    )
    BookmarkFactory(owner=member, title="Elsewhere")
    [entry] = entries(client.get(feed_url("feed_comments", slug=public_group.slug)))
    assert entry["title"] == f"{member.name} on Sujet"
    assert "Bien vu" in entry["summary"]
    assert entry["link"].endswith(
        f"{bookmark.get_absolute_url()}#comment-{bookmark.comments.first().pk}"
    )


def test_private_group_comment_feed_is_404_without_the_secret(client, private_group, member_of):
    member = member_of(private_group)
    CommentFactory(bookmark=BookmarkFactory(owner=member, group=private_group), author=member)
    assert client.get(feed_url("feed_comments", slug=private_group.slug)).status_code == 404
    token = regenerate_feed_token(member)
    assert (
        len(entries(client.get(feed_url("feed_comments", token=token, slug=private_group.slug))))
        == 1
    )


@pytest.mark.parametrize("count", [2, 20])
def test_feed_costs_the_same_for_20_items_as_for_2(
    client, public_group, member_of, django_assert_max_num_queries, count
):
    member = member_of(public_group)
    for _ in range(count):
        HighlightFactory(bookmark=BookmarkFactory(owner=member, group=public_group, tags=["t"]))
    with django_assert_max_num_queries(4):
        response = client.get(feed_url("feed_group", slug=public_group.slug))
    assert len(entries(response)) == count


def test_feed_urls_are_stable(db):
    assert (
        reverse("library:feed_group", kwargs={"slug": "tic", "fmt": "atom"}) == "/feeds/g/tic.atom"
    )
    assert (
        reverse(
            "library:private_feed_user", kwargs={"token": "t0k", "username": "a.b", "fmt": "rss"}
        )
        == "/feeds/private/t0k/u/a.b.rss"
    )


def test_public_group_page_advertises_its_feeds_and_a_private_one_does_not(
    client, public_group, private_group, member_of
):
    page = client.get(public_group.get_absolute_url())
    assert f'href="/feeds/g/{public_group.slug}.atom"' in page.text
    assert f'href="/feeds/g/{public_group.slug}.rss"' in page.text
    client.force_login(member_of(private_group))
    page = client.get(private_group.get_absolute_url())
    assert page.status_code == 200
    assert "application/atom+xml" not in page.text


def test_group_feed_with_the_library_query_string_is_that_search(client, public_group, member_of):
    member = member_of(public_group)
    BookmarkFactory(owner=member, group=public_group, title="Les travailleurs", tags=["a"])
    BookmarkFactory(owner=member, group=public_group, title="Les vacances", tags=["a"])
    url = feed_url("feed_group", slug=public_group.slug)
    assert [e["title"] for e in entries(client.get(url, {"q": "travail"}))] == ["Les travailleurs"]
    page = client.get(public_group.get_absolute_url(), {"q": "travail"})
    assert f'href="/feeds/g/{public_group.slug}.atom?q=travail"' in page.text


def test_diigo_cells_longer_than_csvs_default_limit_are_read(user):
    from transfer import importers

    long_quote = "mot " * 60_000  # 240 KB in one annotations cell
    data = (
        "title,url,tags,description,comments,annotations,created_at\n"
        f'Long,https://example.org/long,,,,"Highlight:{long_quote}",2019-03-12 10:00:00\n'
    ).encode()
    [item] = importers.parse(data).items
    assert len(item.highlights[0].exact) > 200_000


def test_comment_feed_leaves_out_what_the_group_pages_hide(client, public_group, member_of):
    """Held or hidden topics and highlights, and replies to held comments, stay out."""
    from groups.models import Topic

    member = member_of(public_group)
    bookmark = BookmarkFactory(owner=member, group=public_group, title="Sujet")
    CommentFactory(bookmark=bookmark, author=member, body="Visible", body_html="<p>Visible</p>")
    for status in ("held", "hidden"):
        topic = Topic.objects.create(
            group=public_group, author=member, title=f"Casino gratuit ({status})", status=status
        )
        CommentFactory(bookmark=None, topic=topic, author=member, body_html="<p>reply</p>")
        highlight = HighlightFactory(bookmark=bookmark, exact="spam", status=status)
        CommentFactory(
            bookmark=bookmark, highlight=highlight, author=member, body_html="<p>on spam</p>"
        )
        held = CommentFactory(bookmark=bookmark, author=member, status=status)
        CommentFactory(bookmark=bookmark, parent=held, author=member, body_html="<p>answer</p>")
    visible_topic = Topic.objects.create(group=public_group, author=member, title="Débat ouvert")
    CommentFactory(bookmark=None, topic=visible_topic, author=member, body_html="<p>Oui</p>")
    found = entries(client.get(feed_url("feed_comments", slug=public_group.slug)))
    assert sorted(e["title"] for e in found) == [
        f"{member.name} on Débat ouvert",
        f"{member.name} on Sujet",
    ]
    assert not any("Casino" in e["title"] or "spam" in e["summary"] for e in found)


def test_search_feed_of_my_library_needs_my_secret_address(client, user, public_group):
    BookmarkFactory(owner=user, title="Travail privé", private=True)
    BookmarkFactory(owner=user, title="Travail public")
    BookmarkFactory(owner=user, group=public_group, title="Travail en groupe")
    BookmarkFactory(title="Travail d'un autre")
    query = {"q": "travail", "scope": "mine"}
    # a public address has no "me": the search of "my library" is empty, never someone's
    assert entries(client.get(feed_url("feed_search"), query)) == []
    token = regenerate_feed_token(user)
    mine = entries(client.get(feed_url("feed_search", token=token), query))
    assert sorted(e["title"] for e in mine) == ["Travail privé", "Travail public"]


def test_search_feed_of_topics_only_has_no_bookmarks(client, public_group, member_of):
    BookmarkFactory(owner=member_of(public_group), group=public_group, title="Le travail")
    url = feed_url("feed_search")
    assert entries(client.get(url, {"q": "travail", "type": "topic"})) == []
    assert len(entries(client.get(url, {"q": "travail", "type": "bookmark"}))) == 1


def test_private_search_feed_holds_my_private_groups_items(client, private_group, member_of):
    member = member_of(private_group)
    BookmarkFactory(owner=member, group=private_group, title="Travail secret")
    token = regenerate_feed_token(member)
    url = feed_url("feed_search", token=token)
    scoped = entries(client.get(url, {"q": "travail", "group": private_group.slug}))
    assert [e["title"] for e in scoped] == ["Travail secret"]
    assert [e["title"] for e in entries(client.get(url, {"q": "travail"}))] == ["Travail secret"]
    assert client.get(feed_url("feed_search"), {"q": "travail"}).status_code == 200
    assert entries(client.get(feed_url("feed_search"), {"q": "travail"})) == []


def test_private_tag_feed_needs_the_secret_too(client, private_group, member_of):
    member = member_of(private_group)
    BookmarkFactory(owner=member, group=private_group, title="Secret", tags=["économie"])
    kwargs = {"slug": private_group.slug, "tag": "économie"}
    assert client.get(feed_url("feed_group_tag", **kwargs)).status_code == 404
    token = regenerate_feed_token(member)
    found = entries(client.get(feed_url("feed_group_tag", "rss", token=token, **kwargs)))
    assert [e["title"] for e in found] == ["Secret"]


def test_user_feed_follows_the_profile_query_string_and_the_profile_advertises_it(client, user):
    BookmarkFactory(owner=user, title="Recette", tags=["cuisine"])
    BookmarkFactory(owner=user, title="Autre", tags=["travail"])
    BookmarkFactory(owner=user, title="Cuisine privée", tags=["cuisine"], private=True)
    url = feed_url("feed_user", username=user.username)
    assert [e["title"] for e in entries(client.get(url, {"tag": "cuisine"}))] == ["Recette"]
    page = client.get(reverse("library:user", args=[user.username]), {"tag": "cuisine"})
    assert f'href="/feeds/u/{user.username}.atom?tag=cuisine"' in page.text
    assert f'href="/feeds/u/{user.username}.rss?tag=cuisine"' in page.text

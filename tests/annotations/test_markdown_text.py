"""Markdown shown as plain text in library lists and search snippets (no raw `*résumer*`)."""

import pytest
from django.urls import reverse

from annotations.markdown import markdown_to_text, render_markdown, strip_markdown_marks
from tests.factories import BookmarkFactory, CommentFactory, GroupFactory, MembershipFactory


def test_markdown_becomes_its_words():
    assert markdown_to_text("Il faut *résumer* le **texte** et `citer`.") == (
        "Il faut résumer le texte et citer."
    )
    assert markdown_to_text("# Titre\n\n- un [lien](https://example.org)\n- deux") == (
        "Titre\nun lien\ndeux"
    )
    assert markdown_to_text("l'été & <b>gras</b>") == "l'été & <b>gras</b>"


def test_snippet_loses_its_marks_and_keeps_its_highlighting():
    snippet = (
        "il faut *<mark>résumer</mark>* le __texte__, voir [ici](https://x.org) : snake_case 5 * 3"
    )
    assert strip_markdown_marks(snippet) == (
        "il faut <mark>résumer</mark> le texte, voir ici : snake_case 5 * 3"
    )


@pytest.fixture
def group_item(db):
    group = GroupFactory(slug="salle", visibility="public")
    member = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(
        group=group, owner=member, title="Lire", description="Une **enquête** à *résumer*"
    )
    body = "Il faut *résumer* la plateforme"
    CommentFactory(bookmark=bookmark, author=member, body=body, body_html=render_markdown(body))
    return group, bookmark


def test_library_list_shows_the_description_without_markdown(client, group_item):
    group, _ = group_item
    html = client.get(reverse("library:group", args=[group.slug])).text
    assert "Une enquête à résumer" in html
    assert "**enquête**" not in html


def test_search_snippets_show_no_markdown_marks(client, group_item):
    group, _ = group_item
    for url in (
        f"{reverse('library:group', args=[group.slug])}?q=plateforme",
        "/search/?q=plateforme",
    ):
        html = client.get(url).text
        assert "*résumer*" not in html, url
        assert "résumer" in html, url

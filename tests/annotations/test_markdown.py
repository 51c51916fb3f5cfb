"""Comment and note markdown: bare http(s) URLs become links, and nothing unsafe gets through."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import markdown as markdown_module
from annotations import services
from annotations.markdown import _plain_paragraph, render_markdown

REL = "nofollow ugc noopener"


class _Elements(HTMLParser):
    """Every element of a fragment with its attributes, and the text of each link."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.links, self._link = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "a":
            self._link = {**dict(attrs), "text": ""}
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data


def links(markdown):
    return [(a.get("href"), a["text"]) for a in _Elements(render_markdown(markdown)).links]


def test_bare_url_becomes_a_nofollow_link():
    html = render_markdown("Lu sur https://example.org/travail?p=2&q=micro ce matin")
    (a,) = _Elements(html).links
    assert a["href"] == "https://example.org/travail?p=2&q=micro"
    assert a["text"] == "https://example.org/travail?p=2&q=micro"
    assert a["rel"] == REL and "target" not in a
    assert html.endswith(" ce matin</p>")


def test_http_and_several_urls_in_one_comment():
    assert links("http://a.example/x et https://b.example/y") == [
        ("http://a.example/x", "http://a.example/x"),
        ("https://b.example/y", "https://b.example/y"),
    ]


@pytest.mark.parametrize(
    "text, href, after",
    [
        ("Voir https://example.org/page.", "https://example.org/page", "."),
        ("https://example.org/a, https://example.org/b", "https://example.org/a", ", "),
        ("(voir https://example.org/page)", "https://example.org/page", ")"),
        ("« https://example.org/page » !", "https://example.org/page", " » !"),
    ],
)
def test_trailing_punctuation_stays_outside_the_link(text, href, after):
    html = render_markdown(text)
    assert f'<a href="{href}" rel="{REL}">{href}</a>{after}' in html


def test_parentheses_that_belong_to_the_url_stay_in_it():
    url = "https://fr.wikipedia.org/wiki/Travail_(économie)"
    ((href, text),) = links(f"Voir {url}.")
    assert text == url
    assert href == "https://fr.wikipedia.org/wiki/Travail_(%C3%A9conomie)"


def test_url_in_a_markdown_link_is_not_linked_twice():
    assert links(
        "[https://example.org/a](https://example.org/a) et [la source](https://example.org/b)"
    ) == [
        ("https://example.org/a", "https://example.org/a"),
        ("https://example.org/b", "la source"),
    ]
    html = render_markdown("[voir https://example.org/a ici](https://example.org/b)")
    assert html.count("<a ") == 1
    assert links("[voir https://example.org/a ici](https://example.org/b)") == [
        ("https://example.org/b", "voir https://example.org/a ici")
    ]


def test_autolink_and_bare_url_side_by_side():
    assert links("<https://example.org/a> https://example.org/b") == [
        ("https://example.org/a", "https://example.org/a"),
        ("https://example.org/b", "https://example.org/b"),
    ]


def test_urls_in_code_stay_text():
    assert links("`https://example.org/a`") == []
    assert links("    https://example.org/indented") == []
    assert links("```\nhttps://example.org/fenced\n```") == []


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "[clic](javascript:alert(1))",
        "[clic](data:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
        "file:///etc/passwd",
        "ftp://example.org/f",
        "//example.org/scheme-relative",
        "example.org www.example.org setup.py",
    ],
)
def test_only_http_and_https_become_links(text):
    html = render_markdown(text)
    parsed = _Elements(html)
    assert parsed.links == [] or all(a["href"].startswith("http") for a in parsed.links)
    assert "javascript:" not in str(parsed.elements) and "data:" not in str(parsed.elements)
    assert "<script" not in html


def test_javascript_before_a_real_url_only_links_the_url():
    assert links("javascript:alert(1)//https://example.org") == [
        ("https://example.org", "https://example.org")
    ]


@pytest.mark.parametrize(
    "text",
    [
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org/<img src=x onerror=alert(1)>",
        "https://example.org/'onmouseover='alert(1)",
        'https://example.org/" onmouseover="alert(1)',
        "https://example.org/<svg/onload=alert(1)>",
        "https://example.org/?q=<b>gras</b>",
    ],
)
def test_markup_in_or_after_a_url_is_escaped(text):
    html = render_markdown(text)
    parsed = _Elements(html)
    assert [tag for tag, _ in parsed.elements] == ["p", "a"]
    (a,) = parsed.links
    assert set(a) == {"href", "rel", "text"}
    assert a["href"].startswith("https://example.org/")
    assert "<script" not in html and "<img" not in html and "<svg" not in html


def test_long_unbroken_url_is_kept_whole():
    url = "https://example.org/" + "a" * 2000
    assert links(url) == [(url, url)]


def test_comment_with_a_bare_url_shows_a_link_on_the_item_page(client, item, member):
    client.force_login(member)
    r = client.post(
        reverse("annotations:comment_create", args=[item.pk]),
        {"body": "Source : https://example.org/rapport-2016.pdf, page 3."},
    )
    assert r.status_code == 302
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    assert (
        f'<a href="https://example.org/rapport-2016.pdf" rel="{REL}">'
        "https://example.org/rapport-2016.pdf</a>, page 3." in page
    )


def test_highlight_note_with_a_bare_url_shows_a_link(client, item, member):
    services.create_highlight(
        member, item, exact="micro-travaillent", note="Chiffres : https://example.org/etude"
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'<a href="https://example.org/etude" rel="{REL}">https://example.org/etude</a>' in page


def test_topic_body_with_a_bare_url_shows_a_link(client, group, member):
    topic = services.create_topic(member, group, title="Lectures", body="https://example.org/x")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert f'<a href="https://example.org/x" rel="{REL}">https://example.org/x</a>' in page


def test_migration_links_urls_in_html_stored_before(group, item, member):
    from importlib import import_module

    from django.apps import apps

    from annotations.models import Comment, Highlight
    from groups.models import Topic

    rerender = import_module("annotations.migrations.0003_linkify_stored_markdown").rerender
    old = "<p>Lu sur https://example.org/a</p>"
    c = Comment.objects.create(
        bookmark=item, author=member, body="Lu sur https://example.org/a", body_html=old
    )
    plain = Comment.objects.create(bookmark=item, author=member, body="rien", body_html="<p>x</p>")
    h = Highlight.objects.create(
        bookmark=item, author=member, exact="q", note="Lu sur https://example.org/a", note_html=old
    )
    t = Topic.objects.create(
        group=group, author=member, title="t", body="Lu sur https://example.org/a", body_html=old
    )
    rerender(apps, None)
    linked = f'<p>Lu sur <a href="https://example.org/a" rel="{REL}">https://example.org/a</a></p>'
    c.refresh_from_db(), h.refresh_from_db(), t.refresh_from_db(), plain.refresh_from_db()
    assert (c.body_html, h.note_html, t.body_html) == (linked, linked, linked)
    assert plain.body_html == "<p>x</p>"


# Letters, marks, entities, addresses, line breaks and control bytes: what can change a render.
_MIXED = st.lists(
    st.sampled_from(
        list("abcxyzABCéèàçœÉ  -!?.,;:'’«»()0123/=+%$\\`*_[]<>&#|~\"\n\t\x00\xa0")
        + ["http://x.fr", "https://", "www.", " "]
    ),
    min_size=1,
    max_size=40,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_MIXED)
def test_the_plain_line_shortcut_gives_what_markdown_gives(text):
    """A plain note skips markdown-it and nh3 (an import renders tens of thousands): whenever
    the shortcut answers, the full render answers the same HTML."""
    fast = _plain_paragraph(text)
    if fast is not None:
        assert fast == _full_render(text)


def test_the_plain_line_shortcut_takes_ordinary_notes_and_leaves_the_rest():
    note = "Très bien, à relire : p. 12 !"
    assert _plain_paragraph(note) == f"<p>{note}</p>"
    assert _plain_paragraph("deux\nlignes") == "<p>deux\nlignes</p>"
    for text in (
        "*résumer*",
        "1. first",
        "- item",
        "see https://x.fr",
        "a & b",
        "<b>x</b>",
        "a\n\nb",
        "Titre\n===",
        "a  \nb",
    ):
        assert _plain_paragraph(text) is None, text


def _full_render(text):
    with_shortcut_off = markdown_module._plain_paragraph
    try:
        markdown_module._plain_paragraph = lambda _text: None
        return render_markdown(text)
    finally:
        markdown_module._plain_paragraph = with_shortcut_off

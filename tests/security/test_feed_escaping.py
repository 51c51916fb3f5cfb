"""Attack probes: user text with markup, `]]>` and `&` in every field of the Atom and RSS
feeds stays text: each feed parses as XML and gives the text back exactly."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils.html import escape

from annotations.markdown import render_markdown
from tests.factories import BookmarkFactory, CommentFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<script>alert(1)</script> ]]> & &amp; <![CDATA[x]]>"


@pytest.fixture
def hostile_group():
    group = GroupFactory(visibility="public", name=f"G {PAYLOAD}", description=f"D {PAYLOAD}")
    member = MembershipFactory(group=group, role="member").user
    member.display_name = f"N {PAYLOAD}"[:80]
    member.save()
    bookmark = BookmarkFactory(
        group=group,
        owner=member,
        title=f"T {PAYLOAD}",
        description=f"B {PAYLOAD}",
        tags=["<script>", "a]]>b", "x&y"],
    )
    body = f"C {PAYLOAD}"
    CommentFactory(bookmark=bookmark, author=member, body=body, body_html=render_markdown(body))
    return group


def _texts(content):
    root = ElementTree.fromstring(content)  # noqa: S314 - our own response
    texts = [el.text or "" for el in root.iter()]
    return texts + [v for el in root.iter() for v in el.attrib.values()]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
@pytest.mark.parametrize("name", ["feed_group", "feed_comments"])
def test_every_feed_field_is_escaped(client, hostile_group, fmt, name):
    url = reverse(f"library:{name}", kwargs={"fmt": fmt, "slug": hostile_group.slug})
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body
    texts = _texts(response.content)
    # the group's name and description come back as the text they are
    assert any(PAYLOAD in t and t.startswith(("G ", "New comments")) for t in texts), texts
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    if fmt == "rss":
        # RSS readers show descriptions as HTML: the user's markup arrives escaped, as text
        assert root.findtext("channel/description") == escape(f"D {PAYLOAD}")
        for item in root.iter("item"):
            assert "<script" not in item.findtext("description")
    else:
        # Atom's subtitle is plain text (type text): the text itself, XML-escaped
        assert root.findtext(f"{ATOM}subtitle") == f"D {PAYLOAD}"
        for entry in root.iter(f"{ATOM}entry"):
            assert "<script" not in entry.findtext(f"{ATOM}summary")
    if name == "feed_group":
        assert any(t == f"T {PAYLOAD}" for t in texts)
        assert {"<script>", "a]]>b", "x&y"} <= set(texts)

"""Comment, note and topic markdown → sanitized HTML (markdown-it-py renders, nh3 sanitizes)."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML is off in the parser *and* nh3 cleans the output: a bug in either still leaves
# the other between a comment and the page.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    "image"
)

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener"


def render_markdown(text):
    """The safe HTML of a user's markdown: no raw HTML, no images, links marked as user content."""
    if not text:
        return ""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()

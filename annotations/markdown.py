"""Comment, note and topic markdown → sanitized HTML (markdown-it-py renders, nh3 sanitizes)."""

import re
from html import unescape

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

# Raw HTML is off in the parser *and* nh3 cleans the output: a bug in either still leaves
# the other between a comment and the page.
_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .disable("image")
    .enable("linkify")
)
# Bare URLs become links in the parser, on text tokens only: a URL already inside a link or
# in code stays as it is, and the link text is escaped like any other text. Only written-out
# http(s) addresses: no "example.com" or "setup.py" guessed into a link, and no ftp:, mailto:
# or scheme-relative "//host" (nh3 would leave an <a> without href for the schemes it drops).
_md.linkify = LinkifyIt(
    {"ftp:": None, "mailto:": None, "//": None},
    {"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False},
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


# Characters markdown may read as a mark, an entity or raw HTML (anywhere in a line).
_MARK_CHARACTERS = frozenset('\\`*_[]<>&#|~"')


def _plain_line(line):
    return (
        line[:1].isalpha()
        and line[-1:].strip() != ""
        and line.isprintable()
        and "http" not in line
        and _MARK_CHARACTERS.isdisjoint(line)
    )


def _plain_paragraph(text):
    """The HTML of a text made of lines of plain words (no mark, no entity, no address to
    link, each line starting with a letter), which markdown renders as the same words in one
    <p>; None for any other text. Most notes are such lines (an import renders tens of
    thousands)."""
    if len(text) > 2000 or not all(map(_plain_line, text.split("\n"))):
        return None
    return f"<p>{text}</p>"


def render_markdown(text):
    """The safe HTML of a user's markdown: no raw HTML, no images, bare http(s) URLs made
    links, every link marked as user content."""
    if not text:
        return ""
    plain = _plain_paragraph(text)
    if plain is not None:
        return plain
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre)>|<br\s*/?>|<hr\s*/?>")
_SPACES = re.compile(r"[ \t]+")


def markdown_to_text(text: str) -> str:
    """The words of a user's markdown without its marks (`*résumer*` → `résumer`), for lists
    and snippets where a line of plain text is shown: one line per paragraph or list item."""
    if not text:
        return ""
    html = _BLOCK_END.sub("\n", _md.render(text))
    plain = unescape(nh3.clean(html, tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


# emphasis and code marks at a word's edge (snake_case and 5 * 3 stay), link syntax, headings
_EDGE_MARKS = re.compile(r"(?<![\w*_`])[*_`]{1,3}(?=[^\s*_`])|(?<=[^\s*_`])[*_`]{1,3}(?![\w*_`])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]+)\)")
_LINE_MARKS = re.compile(r"(^|\n)\s*(?:#{1,6}|&gt;|>)\s+")


def strip_markdown_marks(snippet: str) -> str:
    """A search snippet (escaped text with <mark>s, cut from markdown sources) without the
    markdown marks: the cut may split a span, so marks are dropped one by one, not parsed."""
    text = _LINK.sub(r"\1", snippet)
    text = _LINE_MARKS.sub(r"\1", text)
    return _EDGE_MARKS.sub("", text)

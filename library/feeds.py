"""Atom and RSS 2.0 feeds: a group's library, a tag in a group, a person's public bookmarks, any
search, and a group's new comments.

Feeds are read by programs without a session, so a feed URL alone decides what it shows: a
plain URL is read as an anonymous visitor (public content only); a private URL carries the
user's secret feed token and is read as that user (their private groups too). A wrong or
regenerated token is a 404, like a private group for a non-member.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import User
from annotations.models import Highlight, Status
from annotations.selectors import group_comments_for_everyone
from bookmarks.selectors import visible_bookmarks
from bookmarks.tags import normalize_tag, parse_tags
from groups.selectors import get_readable_group
from search.selectors import filter_by_keyword

FEED_SIZE = 50


def absolute(path):
    # Not request.build_absolute_uri: a Feed instance is shared by every request (threads).
    return settings.SITE_URL.rstrip("/") + path


def viewer_from_token(token):
    """The user whose secret this is; None for a public feed (no token); 404 for a bad one."""
    if token is None:
        return None
    user = User.objects.filter(feed_token=token, is_active=True).first() if token else None
    if user is None:
        raise Http404("No such feed.")
    return user


def feed_bookmarks(queryset):
    """The newest items of a feed, with what an entry shows, in a fixed number of queries."""
    return (
        queryset.select_related("page", "owner", "group")
        .prefetch_related(
            Prefetch("highlights", queryset=Highlight.objects.filter(status=Status.VISIBLE))
        )
        .order_by("-created_at", "-id")[:FEED_SIZE]
    )


def search_bookmarks(viewer, query):
    """Bookmarks matching a search page's query string: q, tag, user, and its scope (`group`,
    or `scope=mine` for the reader's own library); `type=topic` asks for no bookmarks."""
    queryset = visible_bookmarks(viewer)
    if query.get("type") == "topic":
        return queryset.none()
    if query.get("group"):
        queryset = queryset.filter(group=get_readable_group(viewer, query["group"]))
    elif query.get("scope") == "mine":
        # the search page's "my library": a public feed has no "me", so it is empty
        if viewer is None:
            return queryset.none()
        queryset = queryset.filter(owner=viewer, group__isnull=True)
    return filter_by_query(queryset, query)


def filter_by_query(queryset, query):
    """The filters of a library page's query string: q (keywords), tag (repeatable), user."""
    tags = parse_tags([t for t in query.getlist("tag") if t])
    if tags:
        queryset = queryset.filter(tags__contains=tags)
    if query.get("user"):
        queryset = queryset.filter(owner__username=query["user"])
    q = " ".join(query.get("q", "").split())[:200]
    if q:
        queryset = filter_by_keyword(queryset, q)
    return queryset


class FeedSource:
    def __init__(self, title, link, description, items):
        self.title, self.link, self.description, self.items = title, link, description, items


class BookmarkFeed(Feed):
    """Entries: title, link to the page, the saver, tags, description and highlights."""

    description_template = "library/feed_item.html"
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if kwargs.get("token"):
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request, token=None, **kwargs):
        return self.source(viewer_from_token(token), request, **kwargs)

    def source(self, viewer, request, **kwargs):
        raise NotImplementedError

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def description(self, obj):
        # RSS readers show a channel's description as HTML (as they show an item's): user
        # text goes in escaped, so `<script>` is read as text. Atom's subtitle is plain text.
        return escape(obj.description)

    def subtitle(self, obj):
        return obj.description

    def items(self, obj):
        return obj.items

    def item_title(self, item):
        return item.display_title

    def item_link(self, item):
        return item.page.url

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_author_name(self, item):
        return item.owner.name

    def item_author_link(self, item):
        return absolute(reverse("library:user", args=[item.owner.username]))

    def item_categories(self, item):
        return item.tags

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class GroupFeed(BookmarkFeed):
    def source(self, viewer, request, slug, tag=None):
        group = get_readable_group(viewer, slug)
        queryset = visible_bookmarks(viewer).filter(group=group)
        link = group.get_absolute_url()
        title = _("%(group)s — Commonplace") % {"group": group.name}
        if tag is not None:
            tag = normalize_tag(tag)
            queryset = queryset.filter(tags__contains=[tag])
            link = f"{link}?tag={tag}"
            title = _("%(group)s, tagged “%(tag)s” — Commonplace") % {
                "group": group.name,
                "tag": tag,
            }
        # the group page's query string (?q=…&tag=…) makes this the feed of that search
        queryset = filter_by_query(queryset, request.GET)
        q = " ".join(request.GET.get("q", "").split())[:200]
        if q:
            title = _("%(group)s, items matching “%(q)s” — Commonplace") % {
                "group": group.name,
                "q": q,
            }
        return FeedSource(title, link, group.description, feed_bookmarks(queryset))


class UserFeed(BookmarkFeed):
    def source(self, viewer, request, username):
        owner = User.objects.filter(username=username, is_active=True).first()
        if owner is None:
            raise Http404("No such person.")
        # A person's public bookmarks, whoever reads the feed; filtered like their profile
        # page by its query string (?tag=…&q=…).
        queryset = visible_bookmarks(None).filter(owner=owner, group__isnull=True)
        queryset = filter_by_query(queryset, request.GET)
        return FeedSource(
            _("%(name)s's bookmarks — Commonplace") % {"name": owner.name},
            reverse("library:user", args=[owner.username]),
            owner.bio,
            feed_bookmarks(queryset),
        )


class SearchFeed(BookmarkFeed):
    def source(self, viewer, request):
        q = " ".join(request.GET.get("q", "").split())[:200]
        title = (
            _("Bookmarks matching “%(q)s” — Commonplace") % {"q": q}
            if q
            else _("Bookmarks — Commonplace")
        )
        query = request.GET.urlencode()
        return FeedSource(
            title,
            reverse("search:search") + (f"?{query}" if query else ""),
            title,
            feed_bookmarks(search_bookmarks(viewer, request.GET)),
        )


class CommentFeed(BookmarkFeed):
    """New comments in a group: on its bookmarks, their highlights and its topics.

    Only what every member sees: a visible comment, not on a held or hidden topic or highlight,
    not answering a held or hidden comment (the group's pages hide those replies too).
    """

    description_template = None

    def source(self, viewer, request, slug):
        group = get_readable_group(viewer, slug)
        comments = group_comments_for_everyone(group).select_related(
            "author", "bookmark__page", "topic__group"
        )[:FEED_SIZE]
        return FeedSource(
            _("New comments in %(group)s — Commonplace") % {"group": group.name},
            group.get_absolute_url(),
            group.description,
            comments,
        )

    def item_title(self, comment):
        subject = comment.bookmark.display_title if comment.bookmark_id else comment.topic.title
        return _("%(name)s on %(subject)s") % {"name": self._author(comment), "subject": subject}

    def item_link(self, comment):
        subject = comment.bookmark if comment.bookmark_id else comment.topic
        return absolute(f"{subject.get_absolute_url()}#comment-{comment.pk}")

    def item_guid(self, comment):
        return self.item_link(comment)

    def item_description(self, comment):
        return comment.body_html

    def _author(self, comment):
        return comment.author.name if comment.author else _("someone")

    def item_author_name(self, comment):
        return self._author(comment)

    def item_author_link(self, comment):
        return None

    def item_categories(self, comment):
        return ()

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at


def _atom(feed_class):
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})


FEEDS = {
    "group": GroupFeed,
    "user": UserFeed,
    "search": SearchFeed,
    "comments": CommentFeed,
}


def feed_view(kind, kind_format):
    """The view of one feed kind in "atom" or "rss"."""
    feed_class = FEEDS[kind]
    return (_atom(feed_class) if kind_format == "atom" else feed_class)()


# --- feed routes: public ones, and the same behind /feeds/private/<token>/ ----------------

FEED_ROUTES = [
    # (url name, feed kind, path pattern)
    ("feed_group", "group", r"g/(?P<slug>[-\w]+)"),
    ("feed_group_tag", "group", r"g/(?P<slug>[-\w]+)/tag/(?P<tag>[^/]+)"),
    ("feed_comments", "comments", r"g/(?P<slug>[-\w]+)/comments"),
    ("feed_user", "user", r"u/(?P<username>[\w.@+-]+)"),
    ("feed_search", "search", r"search"),
]


def feed_dispatch(kind):
    views = {fmt: feed_view(kind, fmt) for fmt in ("atom", "rss")}

    def view(request, fmt, **kwargs):
        return views[fmt](request, **kwargs)

    return view


def feed_url(name, fmt="atom", token=None, **kwargs):
    """reverse() of a feed; with `token`, its private address."""
    if token:
        return reverse(f"library:private_{name}", kwargs={"token": token, "fmt": fmt, **kwargs})
    return reverse(f"library:{name}", kwargs={"fmt": fmt, **kwargs})

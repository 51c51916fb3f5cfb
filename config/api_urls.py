"""The API's URL map: /api/v1/... plus the OpenAPI schema and its docs page."""

from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from accounts import api as accounts_api
from annotations import api as annotations_api
from config.api import ApiDocsView, api_not_found
from groups import api as groups_api
from library import api as library_api
from notifications import api as notifications_api
from search import api as search_api


class IdConverter:
    """A bigint id: more digits than a bigint holds is "not found", never a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class UsernameConverter:
    regex = r"[\w.@+-]{1,150}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "id")
register_converter(UsernameConverter, "username")

v1 = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path(
        "extension/token/",
        accounts_api.ExtensionTokenClaimView.as_view(),
        name="extension-token",
    ),
    path("groups/", groups_api.GroupListView.as_view(), name="groups"),
    path("groups/<slug:slug>/", groups_api.GroupDetailView.as_view(), name="group"),
    path("groups/<slug:slug>/join/", groups_api.GroupJoinView.as_view(), name="group-join"),
    path("groups/<slug:slug>/leave/", groups_api.GroupLeaveView.as_view(), name="group-leave"),
    path("groups/<slug:slug>/members/", groups_api.MemberListView.as_view(), name="members"),
    path(
        "groups/<slug:slug>/members/<username:username>/",
        groups_api.MemberDetailView.as_view(),
        name="member",
    ),
    path("groups/<slug:slug>/topics/", search_api.GroupTopicListView.as_view(), name="topics"),
    path("bookmarks/", library_api.BookmarkListView.as_view(), name="bookmarks"),
    path("bookmarks/<id:pk>/", library_api.BookmarkDetailView.as_view(), name="bookmark"),
    path(
        "bookmarks/<id:pk>/highlights/",
        annotations_api.BookmarkHighlightListView.as_view(),
        name="bookmark-highlights",
    ),
    path(
        "bookmarks/<id:pk>/comments/",
        annotations_api.BookmarkCommentListView.as_view(),
        name="bookmark-comments",
    ),
    path(
        "bookmarks/<id:pk>/annotations.jsonld",
        annotations_api.BookmarkAnnotationCollectionView.as_view(),
        name="bookmark-annotations-jsonld",
    ),
    path(
        "highlights/<id:pk>.jsonld",
        annotations_api.HighlightAnnotationView.as_view(),
        name="highlight-jsonld",
    ),
    path("annotations/", annotations_api.PageAnnotationListView.as_view(), name="annotations"),
    path("highlights/<id:pk>/", annotations_api.HighlightDetailView.as_view(), name="highlight"),
    path("comments/<id:pk>/", annotations_api.CommentDetailView.as_view(), name="comment"),
    path("comments/<id:pk>/flag/", annotations_api.CommentFlagView.as_view(), name="comment-flag"),
    path("topics/<id:pk>/", annotations_api.TopicDetailView.as_view(), name="topic"),
    path(
        "topics/<id:pk>/comments/",
        annotations_api.TopicCommentListView.as_view(),
        name="topic-comments",
    ),
    path("search/", search_api.SearchView.as_view(), name="search"),
    path("tags/", library_api.TagListView.as_view(), name="tags"),
    path(
        "notifications/",
        notifications_api.NotificationListView.as_view(),
        name="notifications",
    ),
    path(
        "notifications/read-all/",
        notifications_api.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<id:pk>/read/",
        notifications_api.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notification-settings/",
        notifications_api.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    # Anything else under /api/ is a JSON 404, not the site's HTML error page.
    re_path(r"^", api_not_found),
]

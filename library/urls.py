from django.urls import path, re_path

from . import bookmarklet_views, reader, views
from .feeds import FEED_ROUTES, feed_dispatch

app_name = "library"
urlpatterns = [
    # after groups.urls and accounts.urls in config.urls, so /g/new/ stays the create page
    path("g/<slug:slug>/", views.group_library, name="group"),
    path("u/<str:username>/", views.user_library, name="user"),
    path("save", views.save, name="save"),
    path("save/check", views.save_check, name="save_check"),
    path("save/preview", views.save_preview, name="save_preview"),
    path("b/<int:pk>/", views.detail, name="detail"),
    path("bookmarklet/annotate", bookmarklet_views.annotate, name="bookmarklet_annotate"),
    path(
        "bookmarklet/annotator.js",
        bookmarklet_views.annotator_script,
        name="bookmarklet_annotator_script",
    ),
    path(
        "bookmarklet/annotate/token",
        bookmarklet_views.annotate_token,
        name="bookmarklet_annotate_token",
    ),
    path("b/<int:pk>/read", reader.read, name="read"),
    path("b/<int:pk>/fetch-status", reader.fetch_status, name="fetch_status"),
    path("b/<int:pk>/refetch", reader.refetch, name="refetch"),
]
for _name, _kind, _pattern in FEED_ROUTES:
    _view = feed_dispatch(_kind)
    urlpatterns += [
        re_path(rf"^feeds/{_pattern}\.(?P<fmt>atom|rss)$", _view, name=_name),
        re_path(
            rf"^feeds/private/(?P<token>[-\w]+)/{_pattern}\.(?P<fmt>atom|rss)$",
            _view,
            name=f"private_{_name}",
        ),
    ]

"""Top-level URL map: each app mounts its own urls.py."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from . import views

handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("g/", include("groups.urls")),
    path("", include("notifications.urls")),
    path("", include("bookmarks.urls")),
    path("", include("transfer.urls")),
    path("", include("annotations.urls")),
    path("search/", include("search.urls")),
    # last: /g/<slug>/ and /u/<name>/ come after the group and account pages above
    path("", include("library.urls")),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # gettext() for static/js (locale/<lang>/LC_MESSAGES/djangojs.po). base.html asks for it
    # with ?lang=<code>, so a browser's cached copy never serves another language.
    path(
        "jsi18n/",
        cache_control(max_age=3600)(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
]

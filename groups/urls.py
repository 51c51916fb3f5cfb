from django.urls import path

from bookmarks import views as bookmarks_views
from config.views import not_built_yet

app_name = "groups"
urlpatterns = [
    path("", not_built_yet, name="directory"),
    path("new/", not_built_yet, name="create"),
    # the group home is its library page, rendered by bookmarks.views.group_library
    path("<slug:slug>/", bookmarks_views.group_library, name="detail"),
]

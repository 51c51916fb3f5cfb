from django.urls import path

from config.views import not_built_yet

app_name = "groups"
urlpatterns = [
    path("", not_built_yet, name="directory"),
    path("new/", not_built_yet, name="create"),
    # the group home is its library page, rendered by bookmarks.views.group_library
    path("<slug:slug>/", not_built_yet, name="detail"),
    path("<slug:slug>/topics/<int:pk>/", not_built_yet, name="topic"),
]

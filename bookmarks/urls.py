from django.urls import path

from . import import_views, reader, views

app_name = "bookmarks"
urlpatterns = [
    path("save", views.save, name="save"),
    path("b/<int:pk>/", views.detail, name="detail"),
    path("b/<int:pk>/go", views.go, name="go"),
    path("b/<int:pk>/read", reader.read, name="read"),
    path("b/<int:pk>/read/highlight", reader.highlight, name="reader_highlight"),
    path("b/<int:pk>/fetch-status", reader.fetch_status, name="fetch_status"),
    path("b/<int:pk>/refetch", reader.refetch, name="refetch"),
    path("b/<int:pk>/edit", views.edit, name="edit"),
    path("b/<int:pk>/delete", views.delete, name="delete"),
    path("b/<int:pk>/copy", views.copy, name="copy"),
    path("tags/", views.my_tags, name="my_tags"),
    path("tags/suggest", views.tag_suggest, name="tag_suggest"),
    path("g/<slug:slug>/tags/", views.group_tags, name="group_tags"),
]
# import, export and feeds (helper H): /import/, /export/, /feeds/...
urlpatterns += import_views.urlpatterns

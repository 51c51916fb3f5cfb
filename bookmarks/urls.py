from django.urls import path

from . import views

app_name = "bookmarks"
urlpatterns = [
    path("b/<int:pk>/go", views.go, name="go"),
    path("b/<int:pk>/edit", views.edit, name="edit"),
    path("b/<int:pk>/delete", views.delete, name="delete"),
    path("b/<int:pk>/copy", views.copy, name="copy"),
    path("tags/", views.my_tags, name="my_tags"),
    path("tags/suggest", views.tag_suggest, name="tag_suggest"),
    path("g/<slug:slug>/tags/", views.group_tags, name="group_tags"),
]

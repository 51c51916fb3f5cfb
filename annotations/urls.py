"""Annotation URLs, mounted at the site root (topic and moderation pages live under /g/<slug>/)."""

from django.urls import path

from . import views

app_name = "annotations"
urlpatterns = [
    path("b/<int:pk>/highlights/new/", views.highlight_create, name="highlight_create"),
    path("highlights/<int:pk>/edit/", views.highlight_edit, name="highlight_edit"),
    path("highlights/<int:pk>/delete/", views.highlight_delete, name="highlight_delete"),
    path("b/<int:pk>/comments/new/", views.comment_create, name="comment_create"),
    path("b/<int:pk>/annotations/", views.item_annotations, name="item_annotations"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("highlights/<int:pk>/note/", views.highlight_note, name="highlight_note"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path(
        "comments/<int:pk>/moderate/<str:action>/",
        views.comment_moderate,
        name="comment_moderate",
    ),
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    path("g/<slug:slug>/topics/", views.topic_list, name="topic_list"),
    path("g/<slug:slug>/topics/new/", views.topic_create, name="topic_create"),
    path("g/<slug:slug>/topics/<int:pk>/", views.topic_detail, name="topic"),
    path("g/<slug:slug>/topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("g/<slug:slug>/topics/<int:pk>/delete/", views.topic_delete, name="topic_delete"),
    path("g/<slug:slug>/topics/<int:pk>/reply/", views.topic_comment, name="topic_comment"),
    path("g/<slug:slug>/moderation/", views.moderation_queue, name="moderation_queue"),
    path("g/<slug:slug>/moderation/log/", views.moderation_log, name="moderation_log"),
    path(
        "g/<slug:slug>/moderation/<str:kind>/<int:pk>/<str:action>/",
        views.moderation_action,
        name="moderation_action",
    ),
    path("g/<slug:slug>/moderation/ban/<int:user_id>/", views.ban, name="ban"),
]

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read_all"),
    path("notifications/settings/", views.mail_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/follow/u/<str:username>/", views.follow_user, name="follow_user"),
    path("g/<slug:slug>/follow/", views.follow_group, name="follow_group"),
    path("g/<slug:slug>/follow/tag/", views.follow_tag, name="follow_tag"),
    path("g/<slug:slug>/mentions/", views.mention_suggestions, name="mentions"),
]

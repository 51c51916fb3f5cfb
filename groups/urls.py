from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<str:username>/role/", views.set_role, name="set_role"),
    path("<slug:slug>/members/<str:username>/remove/", views.remove, name="remove_member"),
    path("<slug:slug>/settings/", views.settings, name="settings"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/request/", views.request_to_join, name="request"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/requests/", views.requests, name="requests"),
    path("<slug:slug>/requests/<int:pk>/", views.decide, name="decide"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.revoke, name="revoke_invitation"),
    path("<slug:slug>/invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/confirm/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("accounts/settings/", views.settings, name="settings"),
    path("accounts/settings/api-token/", views.regenerate_api_token, name="regenerate_api_token"),
    path(
        "accounts/settings/feed-token/", views.regenerate_feed_token, name="regenerate_feed_token"
    ),
    path("extension/connect/", views.extension_connect, name="extension_connect"),
    path(
        "accounts/settings/extensions/<int:pk>/revoke/",
        views.revoke_extension_token,
        name="revoke_extension_token",
    ),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

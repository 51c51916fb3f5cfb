from django.urls import path

from bookmarks import views as bookmarks_views
from config.views import not_built_yet

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", not_built_yet, name="login"),
    path("accounts/logout/", not_built_yet, name="logout"),
    path("accounts/signup/", not_built_yet, name="signup"),
    path("accounts/settings/", not_built_yet, name="settings"),
    # /u/<username>/ is the user's library: bookmarks.views.user_library renders it
    path("u/<str:username>/", bookmarks_views.user_library, name="profile"),
]

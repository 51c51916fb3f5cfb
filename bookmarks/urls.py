from django.urls import path

from config.views import not_built_yet

app_name = "bookmarks"
urlpatterns = [
    path("save", not_built_yet, name="save"),
    path("b/<int:pk>/", not_built_yet, name="detail"),
]

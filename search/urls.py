from django.urls import path

from config.views import not_built_yet

app_name = "search"
urlpatterns = [
    path("", not_built_yet, name="search"),
]

from django.urls import re_path

from . import views

app_name = "transfer"
urlpatterns = [
    re_path(r"^import/$", views.import_page, name="import"),
    re_path(r"^import/(?P<pk>\d+)/$", views.import_job, name="import_job"),
    re_path(r"^import/(?P<pk>\d+)/progress$", views.import_progress, name="import_progress"),
    re_path(r"^export/$", views.export_page, name="export"),
    re_path(r"^export/download$", views.export_download, name="export_download"),
]

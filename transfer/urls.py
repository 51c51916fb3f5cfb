from django.urls import re_path

from . import views

app_name = "transfer"
urlpatterns = [
    re_path(r"^import/$", views.import_page, name="import"),
    re_path(r"^import/(?P<pk>\d+)/$", views.import_job, name="import_job"),
    re_path(r"^import/(?P<pk>\d+)/progress$", views.import_progress, name="import_progress"),
    re_path(r"^import/(?P<pk>\d+)/preview$", views.import_preview, name="import_preview"),
    re_path(r"^import/(?P<pk>\d+)/confirm$", views.import_confirm, name="import_confirm"),
    re_path(r"^import/(?P<pk>\d+)/cancel$", views.import_cancel, name="import_cancel"),
    re_path(r"^export/$", views.export_page, name="export"),
    re_path(r"^export/download$", views.export_download, name="export_download"),
]

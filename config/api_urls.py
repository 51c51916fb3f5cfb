"""The API's URL map: /api/v1/... plus the OpenAPI schema and docs."""

urlpatterns = []

"""What every API view shares: error mapping, the comment throttle, the JSON-LD renderer."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.views.generic import TemplateView
from rest_framework import exceptions, renderers, throttling
from rest_framework.views import exception_handler

from annotations.ratelimit import RateLimited


def _validation_detail(exc):
    """A Django ValidationError as DRF field errors; "__all__" becomes non_field_errors."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def api_exception_handler(exc, context):
    """DRF's handler, plus the domain errors services raise.

    Services raise django.core ValidationError (→ 400 with field errors) and PermissionDenied /
    Http404 (DRF already maps those); RateLimited (posting too fast) is a 429 with Retry-After.
    A DataError means input the database refused (a number out of range, a NUL byte): that is
    bad input, so 400, never a 500.
    """
    if isinstance(exc, RateLimited):  # the posting rate of annotations.ratelimit: 429
        exc = exceptions.Throttled(wait=exc.retry_after, detail=str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"non_field_errors": ["Invalid input."]})
    return exception_handler(exc, context)


class CommentPostThrottle(throttling.ScopedRateThrottle):
    """The "comments" rate, applied to posting only (reading a thread is not throttled by it)."""

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


class JSONLDRenderer(renderers.JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class ApiDocsView(TemplateView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), CSP-safe: no inline
    script; the page's one script (static/js/api-docs.js) starts Swagger UI."""

    template_name = "api/docs.html"

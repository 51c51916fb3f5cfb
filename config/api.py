"""What every API view shares: error mapping, strict bodies, the comment throttle, the JSON-LD
renderer."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from rest_framework import exceptions, renderers, serializers, throttling
from rest_framework.views import exception_handler

from .errors import RateLimited


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
    if isinstance(exc, RateLimited):  # posting too fast: 429
        throttled = exceptions.Throttled(wait=exc.retry_after)
        throttled.detail = exceptions.ErrorDetail(str(exc), code="throttled")
        exc = throttled
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"non_field_errors": ["Invalid input."]})
    return exception_handler(exc, context)


@csrf_exempt  # a write to a missing path is a 404, not a CSRF failure page
def api_not_found(request, *args, **kwargs):
    """No such API path: a JSON 404 like every other API error (paths end with a slash)."""
    return JsonResponse({"detail": "Not found (API paths end with a slash)."}, status=404)


class RefuseUnknownFields:
    """A serializer mixin: a field of the body that the serializer does not write (unknown,
    misspelt or read-only) is a 400 naming it, not silently dropped. A client that sent
    `hold_first_post` and got a 200 would believe the setting changed.

    The schema says so too: `document_strict_bodies` marks these bodies
    additionalProperties: false."""

    unknown_field_message = gettext_lazy("This field cannot be set here (unknown or read-only).")

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.unknown_field_message] for name in unknown}
                )
        return super().to_internal_value(data)


def _strict_serializers(base=RefuseUnknownFields):
    for cls in base.__subclasses__():
        yield cls
        yield from _strict_serializers(cls)


def document_strict_bodies(result, generator, request, public):
    """drf-spectacular postprocessing hook: the request bodies of RefuseUnknownFields
    serializers (and their partial "Patched" forms) take no other property."""
    schemas = result.get("components", {}).get("schemas", {})
    for cls in _strict_serializers():
        name = cls.__name__.removesuffix("Serializer")
        for component in (name, f"{name}Request", f"Patched{name}", f"Patched{name}Request"):
            if component in schemas:
                schemas[component]["additionalProperties"] = False
    return result


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


ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, in words.",
}
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": (
        "Field errors: each invalid field (or non_field_errors) with its list of messages; "
        "a list field's errors are keyed by item index."
    ),
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors it can give.

    400 (field errors) where there is input, 401 (missing or bad token), 403 on writes,
    404 where something is looked up, 429 (throttled, with Retry-After) everywhere.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["ValidationError"] = VALIDATION_ERROR
    error_ref = {"$ref": "#/components/schemas/Error"}
    invalid_ref = {"$ref": "#/components/schemas/ValidationError"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            success = next((r for code, r in responses.items() if code.startswith("2")), {})
            media_types = list(success.get("content", {})) or ["application/json"]

            def error(description, ref=error_ref, media_types=media_types):
                return {
                    "description": description,
                    "content": {m: {"schema": ref} for m in media_types},
                }

            # any parameter is input: a control byte in it is a 400 (config.middleware)
            has_input = "requestBody" in operation or bool(operation.get("parameters"))
            looks_up = bool(operation.get("parameters")) or method in WRITE_METHODS
            wanted = {"401": error("Missing or invalid credentials.")}
            if has_input:
                wanted["400"] = error("Invalid input: the errors by field.", invalid_ref)
            if method in WRITE_METHODS:
                wanted["403"] = error("Not allowed (or missing CSRF token with a session).")
            if looks_up:
                wanted["404"] = error("Not found, or not visible to you.")
            wanted["429"] = error("Too many requests: wait Retry-After seconds.")
            wanted["429"]["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }
            for code, response in wanted.items():
                existing = responses.get(code)
                if existing is None:
                    responses[code] = response
                elif "content" not in existing:
                    existing["content"] = response["content"]
    return result


def query_data(request, *lists):
    """The query string as a plain dict (lists for repeatable keys) for a filter serializer.

    A plain dict, not the QueryDict, so an absent boolean stays absent instead of "false".
    """
    params = request.query_params
    data = {key: params.get(key) for key in params if key not in lists}
    data.update({key: params.getlist(key) for key in lists if key in params})
    return data

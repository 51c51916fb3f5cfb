"""Refuse requests that carry control characters in their path, query string or form fields.

A NUL byte reaches Postgres as an error (text cannot hold it) and other control characters
have no meaning in a URL or a one-line field: answering 400 here, once, means no view has to
think about them. Form bodies keep tab, CR and LF (a textarea's lines).
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# C0 controls and DEL; a form field may also hold tab, CR and LF.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has(pattern: re.Pattern, data) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(value) for value in data.getlist(key))
        for key in data
    )


def control_characters_in(request: HttpRequest) -> bool:
    """True when the path, a query parameter or a form field holds a control character."""
    if CONTROL.search(request.path) or _has(CONTROL, request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _has(CONTROL_IN_FORM, request.POST)
    return False


class RejectControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if control_characters_in(request):
            message = _("The request holds a control character (such as a NUL byte).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


# A browser extension's own pages and service worker (Chromium, Firefox, Safari).
EXTENSION_ORIGIN = re.compile(r"^(chrome|moz|safari-web)-extension://[A-Za-z0-9._-]{1,64}\Z")


class ExtensionCorsMiddleware:
    """Let the browser extension call the API cross-origin (it holds no host permission for
    this site unless the user grants one).

    Only /api/, only extension origins, and never with credentials: the extension sends its
    token in the Authorization header, so a session cookie is never read cross-origin.
    The annotate bookmarklet runs on any site's page: its calls carry an origin-bound token
    ("Authorization: Bookmarklet …", library.bookmarklet) and only those get an answer the
    page may read; a preflight (which carries no credentials) is answered for any origin that
    asks to send an Authorization header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin", "")
        preflight = (
            request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        )
        if not (request.path.startswith("/api/") and self.allowed(request, origin, preflight)):
            return self.get_response(request)
        if preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, PATCH, DELETE"
            response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response["Access-Control-Max-Age"] = "600"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
        return response

    @staticmethod
    def allowed(request: HttpRequest, origin: str, preflight: bool) -> bool:
        if EXTENSION_ORIGIN.match(origin):
            return True
        if not origin.startswith(("http://", "https://")):
            return False
        if preflight:
            asked = request.headers.get("Access-Control-Request-Headers", "").lower()
            return "authorization" in asked
        return request.headers.get("Authorization", "").startswith("Bookmarklet ")

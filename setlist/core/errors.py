"""Django-level error views: JSON in the API's error format under the API prefixes.

DRF views format their own errors (see `exceptions.py`); these handlers cover what never
reaches a DRF view: unknown URLs, errors raised in middleware, and crashes outside DRF.
Pages outside the API (admin, docs) keep Django's HTML error pages.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

CONDUIT_PREFIX = "/conduit/api/"  # the RealWorld API, which words its errors its own way
API_PREFIXES = ("/api/", CONDUIT_PREFIX)


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def error_payload(error_type: str, code: str, detail: str, attr: str | None = None) -> dict:
    """The body of every error response: the drf-standardized-errors shape."""
    return {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def error_response(
    status: int, code: str, detail: str, *, headers: dict[str, str] | None = None
) -> JsonResponse:
    error_type = "server_error" if status >= 500 else "client_error"
    return JsonResponse(error_payload(error_type, code, detail), status=status, headers=headers)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(500, "error", "A server error occurred.")
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return error_response(403, "permission_denied", "Permission denied.")
    return defaults.permission_denied(request, exception)

"""Cross-cutting middleware: request ids and access log, maintenance switch, body limit,
rate-limit headers, and a Content-Security-Policy on HTML pages."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import empty

from .errors import CONDUIT_PREFIX, error_response, is_api_path
from .logging import request_id_var
from .maintenance import is_maintenance_on

access_logger = logging.getLogger("setlist.access")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _user_id(request: HttpRequest) -> int | None:
    """The authenticated user's id, without forcing a session lookup that nobody needed."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Gives every request an id, returns it as `X-Request-ID`, and logs one access line.

    A client's own `X-Request-ID` is echoed when it is a short, plain token; anything else
    is replaced, so a hostile header cannot forge log lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            ratelimit = getattr(request, "ratelimit", None)
            if ratelimit is not None:
                response["X-RateLimit-Limit"] = str(ratelimit.limit)
                response["X-RateLimit-Remaining"] = str(ratelimit.remaining)
                response["X-RateLimit-Reset"] = str(ratelimit.reset)
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def short_circuit(response: HttpResponse) -> HttpResponse:
    """A response made before the view middleware runs, with the headers it would add.

    These middlewares sit above Django's clickjacking middleware, which never sees the
    responses they return; the framing rule must hold for every response all the same.
    """
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    return response


class MaintenanceModeMiddleware:
    """Answers every API request with 503 while maintenance mode is on.

    Health checks, the admin and the docs keep working, so operators can watch and act.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path) and is_maintenance_on():
            retry_after = settings.MAINTENANCE_RETRY_AFTER
            return short_circuit(
                error_response(
                    503,
                    "maintenance",
                    "Setlist is down for maintenance; try again shortly.",
                    headers={"Retry-After": str(retry_after)},
                )
            )
        return self.get_response(request)


def _refuse_nul_in_url(request: HttpRequest) -> HttpResponse | None:
    """NUL never belongs in a URL, and PostgreSQL refuses it in any text it is asked to
    compare: a `%00` in a slug or a filter would otherwise end as a database error (500).

    The answers are the ones each API documents for a URL it cannot read: the native API's
    404 and 400 `parse_error`; RealWorld's 404 and 422 in its own error shape.
    """
    in_path = "\x00" in request.path
    in_query = "\x00" in request.META.get("QUERY_STRING", "") or any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
    if not (in_path or in_query):
        return None
    if request.path.startswith(CONDUIT_PREFIX):
        if in_path:
            return short_circuit(JsonResponse({"errors": {"resource": ["not found"]}}, status=404))
        return short_circuit(JsonResponse({"errors": {"query": ["is invalid"]}}, status=422))
    if in_path:
        return short_circuit(error_response(404, "not_found", "Not found."))
    return short_circuit(
        error_response(400, "parse_error", "The query string may not contain NUL characters.")
    )


class RequestBodyLimitMiddleware:
    """Refuses malformed API requests before a view runs: a body announced over the limit
    (before reading a byte), an invalid Content-Length, or NUL in the URL.

    Bodies without a Content-Length are capped again where they are read (the JSON parser
    and Django's own form parsing).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path):
            refused = _refuse_nul_in_url(request)
            if refused is not None:
                return refused
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return short_circuit(
                    error_response(400, "bad_request", "Invalid Content-Length header.")
                )
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return short_circuit(
                    error_response(413, "payload_too_large", "The request body is too large.")
                )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Adds a Content-Security-Policy to HTML responses (admin, API docs, browsable API).

    The Swagger UI and ReDoc pages that drf-spectacular serves load their assets from a
    CDN and run inline bootstrap code, so the policy allows exactly that.
    """

    POLICY = (
        "default-src 'self'; "
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
        "img-src 'self' data: https://cdn.jsdelivr.net https://cdn.redoc.ly; "
        "font-src 'self' https://fonts.gstatic.com; "
        "worker-src 'self' blob:; "
        "connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.POLICY)
        return response

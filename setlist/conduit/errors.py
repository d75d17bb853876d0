"""RealWorld's error format: `{"errors": {"<field>": ["<message>"]}}`.

Only the Conduit views use this handler (they return it from `get_exception_handler`);
the rest of the API keeps the drf-standardized-errors shape. The handler reuses
Setlist's own for everything around the body: rollback, `WWW-Authenticate` and
`Retry-After` headers, database outages as 503, and the reporting of 500s.

Statuses follow the specification: invalid input 422, duplicates 409, missing or bad
token 401, someone else's resource 403, unknown resource 404.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status

from setlist.core.exception_handler import SetlistExceptionHandler

CANT_BE_BLANK = "can't be blank"
TAKEN = "has already been taken"
PASSWORD_TOO_SHORT = "is too short (minimum is 8 characters)"  # noqa: S105 (a message)

# How the services' error codes read in RealWorld's words. A code not listed here keeps
# the service's own message.
SERVICE_MESSAGES = {
    "blank": CANT_BE_BLANK,
    "required": CANT_BE_BLANK,
    "unique": TAKEN,
    "invalid": "is invalid",
    "max_length": "is too long",
    "password_too_short": PASSWORD_TOO_SHORT,
    "self_follow": "can't follow yourself",
}


class ConduitError(exceptions.APIException):
    """An error with its RealWorld body, e.g. `ConduitError(404, {"article": ["not found"]})`."""

    def __init__(self, status_code: int, errors: dict[str, list[str]]):
        super().__init__(detail=errors)
        self.status_code = status_code
        self.errors = errors


def not_found(resource: str) -> ConduitError:
    return ConduitError(status.HTTP_404_NOT_FOUND, {resource: ["not found"]})


def forbidden(resource: str) -> ConduitError:
    return ConduitError(status.HTTP_403_FORBIDDEN, {resource: ["forbidden"]})


def invalid_credentials() -> ConduitError:
    error = ConduitError(status.HTTP_401_UNAUTHORIZED, {"credentials": ["invalid"]})
    error.auth_header = "Token"
    return error


def from_service_error(exc: DjangoValidationError) -> ConduitError:
    """A service's ValidationError: 409 if it names a duplicate, 422 otherwise."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {"body": exc.error_list}
    duplicates: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for field, field_errors in by_field.items():
        key = "body" if field == "__all__" else field
        for error in field_errors:
            message = SERVICE_MESSAGES.get(error.code) or " ".join(error.messages)
            target = duplicates if error.code == "unique" else errors
            target.setdefault(key, []).append(message)
    if duplicates:
        return ConduitError(status.HTTP_409_CONFLICT, duplicates)
    return ConduitError(status.HTTP_422_UNPROCESSABLE_ENTITY, errors)


def _flatten(detail, key: str, into: dict[str, list[str]]) -> dict[str, list[str]]:
    """Nested serializer errors keyed by the innermost field name (`article.title` -> `title`).

    Errors inside a list (one tag of `tagList`) are reported under the list's name.
    """
    if isinstance(detail, dict):
        for name, value in detail.items():
            inner = name if isinstance(name, str) and name != "non_field_errors" else key
            _flatten(value, inner, into)
    elif isinstance(detail, list):
        for item in detail:
            _flatten(item, key, into)
    else:
        messages = into.setdefault(key, [])
        if str(detail) not in messages:
            messages.append(str(detail))
    return into


class ConduitExceptionHandler(SetlistExceptionHandler):
    """Setlist's handler with RealWorld's statuses and bodies."""

    @property
    def resource(self) -> str:
        return getattr(self.context.get("view"), "resource", "resource")

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return from_service_error(exc)
        if isinstance(exc, Http404 | exceptions.NotFound):
            return not_found(self.resource)
        if isinstance(exc, DjangoPermissionDenied):
            return forbidden(self.resource)
        if isinstance(exc, exceptions.ValidationError):
            return ConduitError(
                status.HTTP_422_UNPROCESSABLE_ENTITY, _flatten(exc.detail, "body", {})
            )
        if isinstance(exc, exceptions.ParseError):
            return ConduitError(
                status.HTTP_422_UNPROCESSABLE_ENTITY, {"body": ["is not valid JSON"]}
            )
        return super().convert_known_exceptions(exc)

    def format_exception(self, exc: exceptions.APIException) -> dict:
        if isinstance(exc, ConduitError):
            errors = exc.errors
        elif isinstance(exc, exceptions.NotAuthenticated):
            errors = {"token": ["is missing"]}
        elif isinstance(exc, exceptions.AuthenticationFailed):
            errors = {"token": ["is invalid"]}
        elif isinstance(exc, exceptions.PermissionDenied):
            errors = {self.resource: ["forbidden"]}
        elif isinstance(exc, exceptions.Throttled):
            errors = {"request": ["too many requests"]}
        elif isinstance(exc, exceptions.MethodNotAllowed):
            errors = {"method": ["is not allowed"]}
        else:
            errors = _flatten(exc.detail, "request", {})
        return {"errors": errors}


def conduit_exception_handler(exc: Exception, context: dict):
    return ConduitExceptionHandler(exc, context).run()

"""The exception handler that gives every API error one JSON shape (drf-standardized-errors)."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error

from .exceptions import PayloadTooLarge, ServiceUnavailable

logger = logging.getLogger(__name__)


class SetlistExceptionHandler(ExceptionHandler):
    """Maps the non-DRF exceptions a request can meet onto API errors.

    Django validation errors raised by services become 400s, oversized bodies 413, and a
    database that cannot be reached a fast 503 rather than a 500.
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            # Keeps each error's code ("unique", "password_too_short"), not just its text.
            return exceptions.ValidationError(as_serializer_error(exc))
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if isinstance(exc, OperationalError | InterfaceError):
            logger.error("database unavailable", exc_info=exc)
            return ServiceUnavailable("The database is unavailable; try again shortly.")
        return super().convert_known_exceptions(exc)

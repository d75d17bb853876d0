"""The exception handler that gives every API error one JSON shape (drf-standardized-errors)."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.settings import api_settings

from .exceptions import PayloadTooLarge, ServiceUnavailable

logger = logging.getLogger(__name__)


class SetlistExceptionHandler(ExceptionHandler):
    """Maps the non-DRF exceptions a request can meet onto API errors.

    Django validation errors raised by services become 400s, oversized bodies 413, and a
    database that cannot be reached a fast 503 rather than a 500.
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            if isinstance(detail, dict) and "__all__" in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
            return exceptions.ValidationError(detail)
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if isinstance(exc, OperationalError | InterfaceError):
            logger.error("database unavailable", exc_info=exc)
            return ServiceUnavailable("The database is unavailable; try again shortly.")
        return super().convert_known_exceptions(exc)

"""OpenAPI generation: the schema class, and error schemas beyond drf-standardized-errors'.

503 (maintenance, database or rate limiter unavailable) can answer any operation, so the
settings add it everywhere. 409, 412 and 413 belong to particular operations, which name
them in `extend_schema(responses=...)` with the serializers below.
"""

from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers


def _error_response_serializer(status: int, codes: list[str], server: bool = False):
    """A serializer for `{"type", "errors": [{"code", "detail", "attr"}]}` with given codes."""
    error = type(
        f"Error{status}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(choices=[(c, c) for c in codes]),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"ErrorResponse{status}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(
                choices=(ServerErrorEnum if server else ClientErrorEnum).choices
            ),
            "errors": error(many=True),
        },
    )


ErrorResponse409Serializer = _error_response_serializer(409, ["conflict"])
ErrorResponse412Serializer = _error_response_serializer(412, ["precondition_failed"])
ErrorResponse413Serializer = _error_response_serializer(413, ["payload_too_large"])
ErrorResponse503Serializer = _error_response_serializer(
    503, ["service_unavailable", "maintenance"], server=True
)


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema, also documenting the 400 a list answers to a bad
    `?page_size=` (or cursor) and the 412 of every operation that takes `If-Match`."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction == "response" and "412" not in responses and self._takes_if_match():
            responses["412"] = self._get_response_for_code(ErrorResponse412Serializer, "412")
        return responses

    def _takes_if_match(self) -> bool:
        return any(
            isinstance(parameter, OpenApiParameter)
            and parameter.location == OpenApiParameter.HEADER
            and parameter.name.lower() == "if-match"
            for parameter in self.get_override_parameters()
        )

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        errors = super()._get_extra_validation_errors()
        if self.method == "GET":
            paginator = self._get_paginator()
            for param in getattr(paginator, "validation_error_params", ()):
                errors.setdefault(param, {"invalid"})
        return errors

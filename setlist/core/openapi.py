"""OpenAPI generation: the schema class, and error schemas beyond drf-standardized-errors'.

503 (maintenance, database or rate limiter unavailable) can answer any operation, so the
settings add it everywhere. 409, 412 and 413 belong to particular operations, which name
them in `extend_schema(responses=...)` with the serializers below.
"""

from drf_spectacular.plumbing import is_serializer
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
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
    """drf-standardized-errors' schema, also documenting the 400 of a bad `?page_size=` (or
    cursor), of query parameters validated by a serializer (`parameters=[SomeSerializer]`),
    and the 412 of every operation that takes `If-Match`."""

    def _query_serializers(self) -> list:
        if self.method != "GET":
            return []
        return [p for p in self.get_override_parameters() if is_serializer(p)]

    def _should_add_validation_error_response(self) -> bool:
        return super()._should_add_validation_error_response() or bool(self._query_serializers())

    def _determine_fields_with_error_codes(self) -> list:
        fields = list(super()._determine_fields_with_error_codes())
        for serializer in self._query_serializers():
            flat = get_flat_serializer_fields(serializer)
            fields.extend(get_serializer_fields_with_error_codes(flat))
        return fields

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

"""Error response schemas for the statuses beyond drf-standardized-errors' own.

503 (maintenance, database or rate limiter unavailable) can answer any operation, so the
settings add it everywhere. 409, 412 and 413 belong to particular operations, which name
them in `extend_schema(responses=...)` with these serializers.
"""

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

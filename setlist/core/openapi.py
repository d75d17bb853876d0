"""OpenAPI generation: the schema class, and error schemas beyond drf-standardized-errors'.

503 (maintenance, database or rate limiter unavailable) can answer any operation, so the
settings add it everywhere. 409 and 412 belong to particular operations, which name them in
`extend_schema(responses=...)` with the serializers below; 413 answers every body that is
too large, so every operation that takes a body documents it.

The schema is held to what the server does (scripts/schemathesis.sh fuzzes it with every
check), so this class also writes down what drf-spectacular cannot see by itself:

- operations whose permission classes let anonymous callers in say that credentials are
  optional (`{}` among the security requirements);
- query parameters carry the bounds their form or serializer fields enforce, and say that
  an empty value (`?year_max=`) is accepted and means "absent", as django-filter and DRF
  treat it;
- strings in request bodies and queries carry a pattern for what DRF refuses besides their
  length: NUL characters, and (unless blank is allowed) text that is only whitespace.
"""

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.validators import slug_re
from django.http import HttpRequest
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import is_serializer
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

EMPTY_MEANS_ABSENT = "An empty value counts as absent."
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


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


# What `str.strip()` removes (DRF and Django trim text with it), as a regex class body.
_STRIPPED = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
# Non-empty: where blank text is allowed, drf-spectacular documents "" as a second,
# exclusive alternative (`oneOf`), which a pattern matching "" would make ambiguous.
NO_NUL_PATTERN = "^[^\\x00]+$"
NOT_BLANK_PATTERN = f"^[^\\x00]*[^\\x00{_STRIPPED}][^\\x00]*$"


def form_field_schema(field: forms.Field) -> dict:
    """What a Django form field (of a django-filter filter) refuses, as JSON Schema."""
    if isinstance(field, forms.IntegerField):
        bounds = {"minimum": field.min_value, "maximum": field.max_value}
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}
    if isinstance(field, forms.SlugField) and not field.allow_unicode:
        return {"pattern": slug_re.pattern.replace("\\Z", "$")}
    if isinstance(field, forms.CharField):
        # Text that strips to nothing is empty, which django-filter ignores.
        schema = {"pattern": NO_NUL_PATTERN}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        return schema
    return {}


def _allow_empty_value(parameter: dict) -> None:
    """An optional query parameter that may be sent empty, meaning "absent"."""
    if parameter.get("in") != OpenApiParameter.QUERY or parameter.get("required"):
        return
    parameter["allowEmptyValue"] = True
    description = parameter.get("description") or ""
    if EMPTY_MEANS_ABSENT not in description:
        separator = "\n\n" if "\n" in description else " "
        parameter["description"] = f"{description}{separator}{EMPTY_MEANS_ABSENT}".strip()


class FormFieldFilterExtension(DjangoFilterExtension):
    """django-filter parameters with the bounds of their form fields (integer ranges, slug
    pattern, maximum length) and empty values allowed, as django-filter ignores them."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            parameter["schema"].update(form_field_schema(filter_field.field))
            _allow_empty_value(parameter)
        return parameters


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema, also documenting the 400 of a bad `?page_size=` (or
    cursor), of query parameters validated by a serializer (`parameters=[SomeSerializer]`),
    the 412 of every operation that takes `If-Match` and the 413 of every request body."""

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
        if direction != "response":
            return responses
        if "412" not in responses and self._takes_if_match():
            responses["412"] = self._get_response_for_code(ErrorResponse412Serializer, "412")
        if "413" not in responses and self.method in BODY_METHODS:
            # The body-size middleware answers before any view, in the standard shape.
            responses["413"] = self._get_response_for_code(ErrorResponse413Serializer, "413")
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

    def _get_error_response_examples(self) -> list:
        # The examples show drf-standardized-errors' shape: wrong for views that answer
        # errors in a shape of their own (Conduit's `{"errors": {...}}`).
        if self._has_own_exception_handler():
            return []
        return super()._get_error_response_examples()

    def _has_own_exception_handler(self) -> bool:
        return type(self.view).get_exception_handler is not APIView.get_exception_handler

    # --- Authentication ----------------------------------------------------------------

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if auths and {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        """Whether every permission class lets a caller without credentials in.

        drf-spectacular only recognises `AllowAny` and `IsAuthenticatedOrReadOnly`; asking
        the permissions themselves covers the project's own (the catalog's reads).
        """
        http_request = HttpRequest()
        http_request.method = self.method
        request = Request(http_request)
        request.user = AnonymousUser()
        try:
            return all(
                permission.has_permission(request, self.view)
                for permission in self.view.get_permissions()
            )
        except Exception:  # a permission that needs more context: keep auth required
            return False

    # --- Parameters ----------------------------------------------------------------------

    def _get_pagination_parameters(self) -> list[dict]:
        parameters = super()._get_pagination_parameters()
        paginator = self._get_paginator()
        for parameter in parameters:
            name, schema = parameter["name"], parameter["schema"]
            if name == getattr(paginator, "page_size_query_param", None):
                # Any positive whole number, however long (setlist/core/pagination.py).
                schema["minimum"] = 1
                parameter["description"] = (
                    f"Number of results per page; values above {paginator.max_page_size} "
                    f"are served as {paginator.max_page_size}."
                )
            elif name == getattr(paginator, "page_query_param", None):
                schema["minimum"] = 1
        return parameters

    def _process_override_parameters(self, direction="request") -> dict:
        parameters = super()._process_override_parameters(direction)
        serializer_fields = {
            name
            for serializer in self.get_override_parameters()
            if is_serializer(serializer)
            for name in serializer().fields
        }
        for (name, location), parameter in parameters.items():
            if parameter is None or location != OpenApiParameter.QUERY:
                continue
            if name in serializer_fields:
                # DRF reads `?name=` of an optional field as absent (an empty string is
                # what an HTML form sends for a field left empty).
                _allow_empty_value(parameter)
        return parameters

    # --- Request bodies ------------------------------------------------------------------

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE" or not self._declares_request_body():
            return super()._get_request_body(direction)
        # drf-spectacular documents bodies of POST, PUT and PATCH only; a DELETE that names
        # its body (`DELETE /users/me/` takes the current password) documents it too.
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

    def _declares_request_body(self) -> bool:
        """Whether `extend_schema(request=...)` names a body (the view's own is not asked)."""
        self._get_serializer = lambda: None  # shadows the fallback for this one question
        try:
            return self.get_request_serializer() is not None
        finally:
            del self._get_serializer

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "format" not in schema
        ):
            # DRF refuses NUL characters, and text that trims to nothing where blank
            # text is not allowed; JSON Schema's `minLength` cannot say the latter.
            blank_refused = field.trim_whitespace and not field.allow_blank
            schema["pattern"] = NOT_BLANK_PATTERN if blank_refused else NO_NUL_PATTERN
        return schema

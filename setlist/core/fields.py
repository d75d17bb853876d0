"""Serializer fields stricter than DRF's defaults, for JSON input.

DRF's text fields turn `12` into `"12"`, its boolean field takes `0`, `1` and `"yes"`, and its
integer field takes the string `"12"` in JSON and `12.0` or ` 12` in a query string, which
lets a client's type error pass as a value. These take exactly the JSON type the schema
promises. Form and query-string input, where everything is text, keeps DRF's parsing,
except that a whole number there is written only with digits.
"""

import re
from datetime import UTC, datetime

from django import forms
from django.db import models
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail


def _from_form(field: serializers.Field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


class StrictCharField(serializers.CharField):
    """A JSON string, and nothing else, no longer than `max_length` as sent.

    DRF measures the length after trimming surrounding whitespace, so it takes " " and 64
    characters for a limit of 64; the schema's `maxLength` counts the text as sent.
    """

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictEmailField(StrictCharField, serializers.EmailField):
    default_error_messages = {"invalid": "Enter a valid email address."}


class StrictURLField(StrictCharField, serializers.URLField):
    default_error_messages = {"invalid": "Enter a valid URL."}


class StrictSlugField(StrictCharField, serializers.SlugField):
    default_error_messages = {
        "invalid": "Enter a valid slug of letters, numbers, underscores or hyphens."
    }


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row named by a JSON integer: `1.5`, `"1"` and `true` are not ids."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A related row named by a JSON string; text that no slug can hold (NUL, which
    PostgreSQL refuses to compare) is invalid before it reaches the lookup, and so is ""
    (DRF's related fields would read it as null; no row is `null`, and a slug is never
    empty)."""

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ItemListField(serializers.ListField):
    """A JSON array whose item errors are reported on the field (`tags`), naming the item
    in the message, instead of one attr per index (`tags.3`): clients and the schema get
    a single attr, with the item codes (`invalid`, `blank`, ...) documented on it.
    """

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            errors = []
            for index, details in exc.detail.items():
                for detail in details if isinstance(details, list) else [details]:
                    errors.append(ErrorDetail(f"Item {index}: {detail}", code=detail.code))
            raise serializers.ValidationError(errors) from exc


class StrictBooleanField(serializers.BooleanField):
    """`true` or `false` in JSON; DRF's usual parsing for form text."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or _from_form(self):
            return super().to_internal_value(data)
        self.fail("invalid", input=data)


WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (`3.0` too: JSON Schema counts a number without a fraction as an
    integer), never a string or a boolean; in a query string or form, digits with an
    optional minus sign, never `3.0` or ` 3`."""

    def to_internal_value(self, data):
        if _from_form(self):
            whole = isinstance(data, str) and WHOLE_NUMBER.fullmatch(data) is not None
        elif isinstance(data, float):
            whole = data.is_integer()
        else:
            whole = isinstance(data, int) and not isinstance(data, bool)
        if not whole:
            self.fail("invalid")
        return super().to_internal_value(data)


class WholeNumberFormField(forms.IntegerField):
    """Django's integer form field (django-filter uses it for query strings), taking only
    digits with an optional minus sign: not `3.0`, ` 3` or `3e0`."""

    def to_python(self, value):
        text = isinstance(value, str) and value not in self.empty_values
        if text and WHOLE_NUMBER.fullmatch(value) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def utc_timestamp(value: datetime) -> str:
    """An aware datetime as API.md writes timestamps: ISO 8601 in UTC, ending in `Z`."""
    return value.astimezone(UTC).isoformat()[:-6] + "Z"  # "+00:00" is the last six


class UTCDateTimeField(serializers.DateTimeField):
    """A DateTimeField that writes aware datetimes in UTC (`utc_timestamp`).

    DRF's field writes them in the active time zone, which it looks up for every value:
    about seven times the cost of the formatting itself, 0.6-0.9 ms for the 100 timestamps
    of a page of 50 likes. Setlist never activates another time zone (`TIME_ZONE` is UTC),
    so the output is the same.
    Input is parsed as DRF parses it.
    """

    def to_representation(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return utc_timestamp(value)
        return super().to_representation(value)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text, boolean and integer model fields take only their JSON
    types, and whose timestamps are written in UTC (`UTCDateTimeField`)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.EmailField: StrictEmailField,
        models.URLField: StrictURLField,
        models.BooleanField: StrictBooleanField,
        # Bigger and smaller integer columns map through these (by class hierarchy).
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.DateTimeField: UTCDateTimeField,
    }

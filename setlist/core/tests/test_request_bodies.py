"""Malformed, oversized and hostile bodies get a 4xx with the error shape, never a 500."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from rest_framework import serializers

from setlist.core.exceptions import PayloadTooLarge
from setlist.core.fields import StrictBooleanField, StrictIntegerField, WholeNumberFormField
from setlist.core.parsers import ORJSONParser

pytestmark = [pytest.mark.urls("setlist.core.tests.urls"), pytest.mark.django_db]


def post_raw(client, body: bytes, content_type: str = "application/json"):
    return client.generic("POST", "/api/v1/echo/", body, content_type=content_type)


def test_malformed_json_is_a_400(api_client):
    response = post_raw(api_client, b'{"name": ')
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_invalid_utf8_is_a_400(api_client):
    response = post_raw(api_client, b'{"name": "\xff\xfe"}')
    assert response.status_code == 400


def test_deeply_nested_json_is_a_400(api_client):
    response = post_raw(api_client, b"[" * 5000 + b"]" * 5000)
    assert response.status_code == 400


def test_nul_byte_in_a_string_is_refused(api_client):
    response = post_raw(api_client, b'{"name": "a\\u0000b"}')
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "name"


def test_body_announced_over_the_limit_is_a_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = post_raw(api_client, b'{"name": "' + b"x" * 2048 + b'"}')
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "payload_too_large"


def test_parser_caps_bodies_that_do_not_announce_their_length(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    with pytest.raises(PayloadTooLarge):
        ORJSONParser().parse(io.BytesIO(b'{"name": "much too long"}'))


def test_body_at_the_limit_is_accepted(api_client, settings):
    body = b'{"name": "ok"}'
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body)
    response = post_raw(api_client, body)
    assert response.status_code == 200
    assert response.json() == {"name": "ok"}


def test_unsupported_media_type_is_a_415(api_client):
    response = post_raw(api_client, b"name=x", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize(("value", "ok"), [(True, True), (False, True), (0, False), ("yes", False)])
def test_strict_booleans_take_only_json_booleans(value, ok):
    class Flag(serializers.Serializer):
        flag = StrictBooleanField()

    assert Flag(data={"flag": value}).is_valid() is ok


def test_strict_booleans_parse_form_text_as_drf_does():
    class Flag(serializers.Serializer):
        flag = StrictBooleanField()

    form = Flag(data=QueryDict("flag=true"))
    assert form.is_valid()
    assert form.validated_data == {"flag": True}


@pytest.mark.parametrize(
    ("value", "ok"),
    [(3, True), (-3, True), (3.0, True), (3.5, False), ("3", False), (True, False), ([3], False)],
)
def test_strict_integers_take_only_json_integers(value, ok):
    class Count(serializers.Serializer):
        count = StrictIntegerField()

    assert Count(data={"count": value}).is_valid() is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("3", True),
        ("-3", True),
        ("007", True),
        ("3.0", False),
        (" 3", False),
        ("3 ", False),
        ("+3", False),
        ("3e0", False),
        ("\u0663", False),
        ("", False),
    ],
)
def test_strict_integers_in_a_query_string_are_digits(text, ok):
    class Count(serializers.Serializer):
        count = StrictIntegerField()

    query = QueryDict(mutable=True)
    query["count"] = text

    assert Count(data=query).is_valid() is ok


@pytest.mark.parametrize(("text", "ok"), [("12", True), ("12.0", False), ("\t12", False)])
def test_whole_number_form_fields_take_digits_only(text, ok):
    field = WholeNumberFormField(required=False)

    try:
        field.clean(text)
    except ValidationError:
        assert not ok
    else:
        assert ok

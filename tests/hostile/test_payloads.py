"""Hostile request bodies against every write operation: a 4xx, never a 5xx.

The operations come from the OpenAPI schema (a walk of the URL conf). Each has a declared
valid body; the hostile cases break its envelope (nesting, size, encoding, media type,
top-level type) or one field at a time (NUL, very long text, injection strings, wrong
types, out-of-range numbers). Text that is accepted must come back verbatim as JSON.
"""

import orjson
import pytest

from .operations import (
    VALID_BODIES,
    concrete_path,
    dig,
    field_schema,
    leaves,
    replaced,
    resolve,
    valid_body,
    write_operations,
)
from .probe import Probe, json_body

pytestmark = pytest.mark.django_db

WRITES = write_operations()
JSON = "application/json"
THREE_MB = 3 * 1024 * 1024
MARKER = "@@hostile@@"

# Text that must be refused (400) wherever a string is expected.
NUL_TEXT = "a\u0000b"
# Text that may be accepted, and then must be stored and returned exactly as sent.
INERT_TEXT = {
    "sql": "' OR 1=1 --",
    "sql_drop": "Robert'); DROP TABLE catalog_song;--",
    "script": "<script>alert(1)</script>",
    "img_onerror": '<img src=x onerror="alert(document.cookie)">',
    "unicode": "Mötley Crüe \u202e\U0001f3b5 \u200b",
}
LONG_TEXT = "x" * 100_000
# Raw JSON numbers, spliced in where an integer is expected.
OUT_OF_RANGE_NUMBERS = {
    "1e309": b"1e309",
    "2**70": str(2**70).encode(),
    "2**63": str(2**63).encode(),
    "-2**63-1": str(-(2**63) - 1).encode(),
    "10**30": str(10**30).encode(),
}
# May be accepted (`1.5` as id 1: a related-object field looks the number up as given).
ODD_NUMBERS = {
    "1.5": b"1.5",
    "-0": b"-0",
    "negative": b"-1",
    "string": b'"12"',
    "true": b"true",
    "null": b"null",
}
WRONG_TYPES_FOR_TEXT = {"array": ["x"], "object": {"$gt": ""}, "number": 12, "true": True}


def splice(body: dict, path: tuple, raw: bytes) -> bytes:
    """`body` as JSON with the value at `path` replaced by raw bytes (invalid JSON too)."""
    encoded = orjson.dumps(replaced(body, path, MARKER))
    return encoded.replace(orjson.dumps(MARKER), raw, 1)


def first_text_path(body: dict) -> tuple | None:
    return next((path for path, value in leaves(body) if isinstance(value, str)), None)


def test_every_write_operation_has_a_declared_valid_body():
    schema_ids = {op.operation_id for op in WRITES}
    assert schema_ids == set(VALID_BODIES)
    for op in WRITES:
        if op.media_types:
            assert VALID_BODIES[op.operation_id] is not None, op.id


# Answers the valid request may get other than 2xx: the world is built so that these
# rules apply (songs keep their album, artist and genre; no refresh cookie was sent).
EXPECTED_NON_2XX = {
    "albums_destroy": 409,
    "artists_destroy": 409,
    "genres_destroy": 409,
    "auth_cookie_refresh_create": 401,
}


@pytest.mark.parametrize("op", WRITES, ids=lambda op: op.id)
def test_the_declared_valid_request_is_accepted(op, world, admin_client):
    """Proves the hostile cases below reach validation, not an early 4xx."""
    probe = Probe(admin_client, world)
    body = valid_body(op, world)
    response = probe.send(
        op.method,
        concrete_path(op.path, world),
        orjson.dumps(body) if body is not None else b"",
        JSON,
    )
    expected = EXPECTED_NON_2XX.get(op.operation_id)
    if expected:
        assert response.status_code == expected
    else:
        assert 200 <= response.status_code < 300, response.content[:300]


def envelope_cases(body: dict | None) -> dict[str, tuple[bytes, str, dict, bool]]:
    """name -> (body, content type, extra WSGI environ, must be refused when a body is read)."""
    valid = orjson.dumps(body if body is not None else {})
    text_path = first_text_path(body) if body else None
    cases = {
        "nested_arrays_10000": (b"[" * 10_000 + b"]" * 10_000, JSON, {}, True),
        "nested_objects_10000": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, JSON, {}, True),
        "body_3mb": (b'{"a": "' + b"x" * THREE_MB + b'"}', JSON, {}, True),
        "body_3mb_announced_short": (
            b'{"a": "' + b"x" * THREE_MB + b'"}',
            JSON,
            {"CONTENT_LENGTH": "64"},
            True,
        ),
        "content_length_not_a_number": (valid, JSON, {"CONTENT_LENGTH": "12abc"}, True),
        "negative_content_length": (valid, JSON, {"CONTENT_LENGTH": "-5"}, False),
        "truncated_json": (valid[:-1], JSON, {}, True),
        "top_level_array": (b"[" + valid + b"]", JSON, {}, True),
        "top_level_string": (b'"hello"', JSON, {}, True),
        "top_level_number": (b"42", JSON, {}, True),
        "top_level_null": (b"null", JSON, {}, True),
        "top_level_true": (b"true", JSON, {}, True),
        "byte_order_mark": (b"\xef\xbb\xbf" + valid, JSON, {}, False),
        "empty_json_body": (b"", JSON, {}, False),
        "text_plain": (valid, "text/plain", {}, True),
        "xml": (b"<a>1</a>", "application/xml", {}, True),
        "missing_content_type": (valid, "", {}, True),
        "garbage_content_type": (valid, "\x00/\x01; charset=\xff", {}, True),
        "form_garbage": (b"%%%=&&==%zz&a=%00", "application/x-www-form-urlencoded", {}, False),
        "multipart_without_boundary": (b"--x\r\n", "multipart/form-data", {}, False),
        "multipart_garbage": (b"--x\r\ngarbage", "multipart/form-data; boundary=x", {}, False),
        "json_charset_latin1": (valid, "application/json; charset=latin-1", {}, False),
    }
    if text_path:
        cases["invalid_utf8"] = (splice(body, text_path, b'"\xff\xfe\xc3("'), JSON, {}, True)
        cases["lone_surrogate"] = (splice(body, text_path, b'"\\ud800"'), JSON, {}, True)
        first_key = next(iter(body))
        duplicated = b'{"' + first_key.encode() + b'": [1, 2], ' + valid[1:]
        cases["duplicate_keys"] = (duplicated, JSON, {}, False)
    return cases


@pytest.mark.parametrize("op", WRITES, ids=lambda op: op.id)
def test_hostile_envelopes_get_a_4xx_never_a_5xx(op, world, admin_client):
    probe = Probe(admin_client, world)
    path = concrete_path(op.path, world)
    body = valid_body(op, world)
    for name, (raw, content_type, extra, refuse) in envelope_cases(body).items():
        response = probe.send(op.method, path, raw, content_type, **extra)
        if not probe.expect_no_server_error(name, response):
            continue
        if name == "body_3mb":
            # Refused before the view runs, whether or not the operation reads a body.
            probe.expect_refused(name, response, {413})
        elif refuse and body is not None:
            probe.expect_refused(name, response)
    probe.check()


def _text_fields(op, body):
    for path, value in leaves(body):
        if isinstance(value, str):
            yield path, field_schema(op, path)


def _echoed(response, path) -> object:
    """The value the response shows at the request's `path`, if it shows one."""
    if any(isinstance(step, int) for step in path):
        return None  # list items (tags) are normalised and reordered by design
    try:
        return dig(json_body(response), path)
    except (KeyError, IndexError, TypeError):
        return None


BODY_OPERATIONS = [op for op in WRITES if VALID_BODIES[op.operation_id]]


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: op.id)
def test_hostile_text_in_every_string_field(op, world, admin_client):
    """NUL and wrong types are refused; long text is refused where the schema caps it;
    injection strings are refused or stored verbatim and returned as JSON."""
    probe = Probe(admin_client, world)
    path = concrete_path(op.path, world)
    body = valid_body(op, world)
    for field, schema in _text_fields(op, body):
        name = ".".join(map(str, field))
        response = probe.send(op.method, path, orjson.dumps(replaced(body, field, NUL_TEXT)), JSON)
        probe.expect_refused(f"{name} NUL", response, {400})
        for kind, wrong in WRONG_TYPES_FOR_TEXT.items():
            response = probe.send(op.method, path, orjson.dumps(replaced(body, field, wrong)), JSON)
            if kind == "number" and path.startswith("/conduit/"):
                # RealWorld's text fields take numbers as their text, as DRF's CharField does.
                probe.expect_no_server_error(f"{name} {kind}", response)
            else:
                probe.expect_refused(f"{name} {kind}", response, {400})
        response = probe.send(op.method, path, orjson.dumps(replaced(body, field, LONG_TEXT)), JSON)
        if schema.get("maxLength"):
            probe.expect_refused(f"{name} 100k chars", response, {400})
        else:
            _expect_verbatim_or_refused(probe, f"{name} 100k chars", response, field, LONG_TEXT)
        for kind, text in INERT_TEXT.items():
            response = probe.send(op.method, path, orjson.dumps(replaced(body, field, text)), JSON)
            _expect_verbatim_or_refused(probe, f"{name} {kind}", response, field, text)
    probe.check()


def _expect_verbatim_or_refused(probe, case, response, field, text) -> None:
    if not probe.expect_no_server_error(case, response):
        return
    if response.status_code >= 300:
        probe.expect_refused(case, response, {400, 401, 403, 404, 409})
        return
    if response.content and not response["Content-Type"].startswith("application/json"):
        probe.fail(case, response, "accepted text served as something other than JSON")
    echoed = _echoed(response, field)
    if echoed is not None and echoed != text and field[-1] not in {"username", "email", "slug"}:
        probe.fail(case, response, "accepted text did not come back verbatim")


def _integer_fields(op) -> list[str]:
    properties = op.request_schema().get("properties", {})
    return [name for name, prop in properties.items() if resolve(prop).get("type") == "integer"]


INTEGER_OPERATIONS = [op for op in BODY_OPERATIONS if _integer_fields(op)]


@pytest.mark.parametrize("op", INTEGER_OPERATIONS, ids=lambda op: op.id)
def test_out_of_range_numbers_in_every_integer_field(op, world, admin_client):
    """Numbers past what a column holds are a 400 before they reach the database."""
    probe = Probe(admin_client, world)
    path = concrete_path(op.path, world)
    for name in _integer_fields(op):
        # Optional integers (an album's year) are absent from the valid body: add them.
        body = {name: 1, **valid_body(op, world)}
        for kind, raw in OUT_OF_RANGE_NUMBERS.items():
            response = probe.send(op.method, path, splice(body, (name,), raw), JSON)
            probe.expect_refused(f"{name} {kind}", response, {400})
        for kind, raw in ODD_NUMBERS.items():
            response = probe.send(op.method, path, splice(body, (name,), raw), JSON)
            probe.expect_no_server_error(f"{name} {kind}", response)
    probe.check()

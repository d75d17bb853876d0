"""The OpenAPI schema says what the server does (schemathesis holds the API to it).

These pin the parts setlist/core/openapi.py adds to drf-spectacular's output, each beside
the server behaviour it describes.
"""

import re
import sys

import pytest
from drf_spectacular.generators import SchemaGenerator

from setlist.core.openapi import NO_NUL_PATTERN, NOT_BLANK_PATTERN


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def parameter(schema, path: str, name: str, method: str = "get") -> dict:
    (found,) = [p for p in schema["paths"][path][method]["parameters"] if p["name"] == name]
    return found


# --- Authentication --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/genres/", "/api/v1/artists/{id}/", "/api/v1/albums/", "/api/v1/songs/"]
)
def test_catalog_reads_document_credentials_as_optional(schema, path):
    assert {} in schema["paths"][path]["get"]["security"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/genres/", "post"),
        ("/api/v1/songs/{id}/", "delete"),
        ("/api/v1/users/me/", "get"),
        ("/api/v1/me/likes/", "get"),
        ("/conduit/api/user", "get"),
    ],
)
def test_operations_that_need_credentials_do_not_document_them_as_optional(schema, path, method):
    security = schema["paths"][path][method]["security"]
    assert security
    assert {} not in security


@pytest.mark.django_db
def test_catalog_reads_answer_anonymous_callers(api_client):
    assert api_client.get("/api/v1/genres/").status_code == 200
    assert api_client.post("/api/v1/genres/", {"name": "x"}, format="json").status_code == 401


# --- Pagination --------------------------------------------------------------------------


def test_page_size_documents_the_values_the_paginator_serves(schema):
    page_size = parameter(schema, "/api/v1/genres/", "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1}
    assert "values above 100 are served as 100" in page_size["description"]
    assert parameter(schema, "/api/v1/genres/", "page")["schema"]["minimum"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "status"), [(10**12, 200), (1, 200), (0, 400), (-1, 400)])
def test_page_size_bounds_hold_on_the_server(api_client, value, status):
    assert api_client.get(f"/api/v1/genres/?page_size={value}").status_code == status


# --- Filters and query parameters --------------------------------------------------------


def test_filter_parameters_carry_their_form_field_bounds(schema):
    assert parameter(schema, "/api/v1/albums/", "year")["schema"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 9999,
    }
    artist = parameter(schema, "/api/v1/songs/", "artist")["schema"]
    assert artist["type"] == "integer"
    assert artist["minimum"] == 1
    genre = parameter(schema, "/api/v1/songs/", "genre")["schema"]
    assert genre["pattern"] == "^[-a-zA-Z0-9_]+$"
    search = parameter(schema, "/api/v1/artists/", "search")["schema"]
    assert search == {"type": "string", "pattern": NO_NUL_PATTERN, "maxLength": 200}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/albums/", "year_max"),
        ("/api/v1/albums/", "ordering"),
        ("/api/v1/songs/", "genre"),
        ("/api/v1/search/", "limit"),
        ("/conduit/api/articles", "tag"),
        ("/conduit/api/articles", "offset"),
    ],
)
def test_optional_query_parameters_document_empty_values(schema, path, name):
    documented = parameter(schema, path, name)
    assert documented["allowEmptyValue"] is True
    assert "An empty value counts as absent." in documented["description"]


def test_required_and_pagination_parameters_do_not_allow_empty_values(schema):
    assert "allowEmptyValue" not in parameter(schema, "/api/v1/search/", "q")
    assert "allowEmptyValue" not in parameter(schema, "/api/v1/albums/", "page_size")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?year_max=", "?year=&year_min=&artist=&genre=&search=&ordering="]
)
def test_empty_filter_values_are_served_as_absent(api_client, query):
    response = api_client.get(f"/api/v1/albums/{query}")
    assert response.status_code == 200
    assert response.json() == api_client.get("/api/v1/albums/").json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?year_max=-1", "?year=10000", "?artist=0", "?genre=a%20b"])
def test_filter_values_outside_the_documented_bounds_are_refused(api_client, query):
    response = api_client.get(f"/api/v1/albums/{query}")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


@pytest.mark.django_db
def test_conduit_empty_tag_filter_is_served_as_absent(api_client):
    response = api_client.get("/conduit/api/articles?tag=")
    assert response.status_code == 200


# --- Text patterns -------------------------------------------------------------------------


def test_not_blank_pattern_matches_exactly_what_strip_keeps():
    pattern = re.compile(NOT_BLANK_PATTERN)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        expected = char != "\x00" and char.strip() != ""
        assert bool(pattern.search(char)) is expected, hex(code)
    assert pattern.search(" \tmotley crue ")
    assert not pattern.search("a\x00b")


def test_search_query_documents_that_blank_text_is_refused(schema):
    q = parameter(schema, "/api/v1/search/", "q")
    assert q["required"] is True
    assert q["schema"]["pattern"] == NOT_BLANK_PATTERN


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["%1F", "%20%09", "%E3%80%80"])
def test_search_refuses_text_that_strips_to_nothing(api_client, q):
    assert api_client.get(f"/api/v1/search/?q={q}").status_code == 400


def test_request_body_text_documents_refused_blank_and_nul(schema):
    post = schema["components"]["schemas"]["PostWriteRequest"]["properties"]
    assert post["title"]["pattern"] == NOT_BLANK_PATTERN
    assert post["tags"]["items"]["pattern"] == NOT_BLANK_PATTERN
    # Whitespace is kept (body) or blank text allowed (description, documented as a second
    # alternative): only NUL is refused beyond the length.
    assert post["body"]["pattern"] == NO_NUL_PATTERN
    text, blank = post["description"]["oneOf"]
    assert text["pattern"] == NO_NUL_PATTERN
    assert blank == {"type": "string", "maxLength": 0}
    assert not re.search(NO_NUL_PATTERN, "")


# --- Bodies and errors ---------------------------------------------------------------------


def test_delete_with_a_declared_body_documents_it(schema):
    body = schema["paths"]["/api/v1/users/me/"]["delete"]["requestBody"]
    assert body["required"] is True
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][ref]["required"] == ["current_password"]
    assert "requestBody" not in schema["paths"]["/api/v1/songs/{id}/"]["delete"]


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v1/posts/", "post"), ("/api/v1/playlists/{playlist_id}/", "patch")],
)
def test_operations_with_a_body_document_413(schema, path, method):
    assert "413" in schema["paths"][path][method]["responses"]


def test_reads_do_not_document_413(schema):
    assert "413" not in schema["paths"]["/api/v1/genres/"]["get"]["responses"]


def test_conduit_errors_carry_no_standardized_examples(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/conduit/api/"):
            continue
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and status != "413":
                    media = response.get("content", {}).get("application/json", {})
                    assert "examples" not in media, (path, status)


def test_standard_errors_keep_their_examples(schema):
    unauthorized = schema["paths"]["/api/v1/users/me/"]["get"]["responses"]["401"]
    assert "NotAuthenticated" in unauthorized["content"]["application/json"]["examples"]


def _reachable(schema, node, seen=None) -> set[str]:
    """The names of every component `node` refers to, directly or through others."""
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref and ref.rsplit("/", 1)[-1] not in seen:
            name = ref.rsplit("/", 1)[-1]
            seen.add(name)
            _reachable(schema, schema["components"]["schemas"][name], seen)
        for value in node.values():
            _reachable(schema, value, seen)
    elif isinstance(node, list):
        for value in node:
            _reachable(schema, value, seen)
    return seen


def test_every_body_documents_that_a_json_null_body_is_refused(schema):
    """A JSON `null` body is a 400 `non_field_errors` / `null` from any serializer."""
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            names = _reachable(schema, operation["responses"]["400"])
            codes = [
                components[name]["properties"]["code"]["enum"]
                for name in names
                if components[name].get("properties", {}).get("attr", {}).get("enum")
                == ["non_field_errors"]
            ]
            assert codes, (path, method)
            assert all("null" in found for found in codes), (path, method, codes)

"""Hostile query strings and path segments against every operation: never a 5xx.

Every query parameter the schema declares for a GET operation, plus the ones a client
may try anyway (paging, cursors, ordering by a secret column, unknown filters), gets
values that are too long, too large, negative, NUL, or injection strings.
"""

from urllib.parse import urlencode

import orjson
import pytest

from .operations import concrete_path, get_operations, operations, valid_body
from .probe import Probe, json_body

pytestmark = pytest.mark.django_db

GETS = get_operations()
HOSTILE_VALUES = {
    "nul": "\x00",
    "nul_inside": "rock\x00' OR 1=1",
    "long": "x" * 10_000,
    "huge_number": str(10**30),
    "many_digits": "9" * 5000,
    "negative": "-1",
    "zero": "0",
    "float": "1e309",
    "sql": "' OR 1=1 --",
    "script": "<script>alert(1)</script>",
    "unicode": "Mötley \u202e\U0001f3b5",
    "lone_surrogate_escape": "%ud800",
    "empty": "",
}
EXTRA_PARAMETERS = ("page", "page_size", "cursor", "ordering", "search", "limit", "offset")
# Operations that answer with a file or HTML rather than the API's JSON.
NOT_JSON = {"/api/v1/playlists/{playlist_id}/export.m3u", "/api/docs/", "/api/redoc/"}


@pytest.mark.parametrize("op", GETS, ids=lambda op: op.id)
def test_hostile_query_parameters_never_get_a_5xx(op, world, admin_client):
    probe = Probe(admin_client, world)
    path = concrete_path(op.path, world)
    for parameter in sorted({*op.query_parameters(), *EXTRA_PARAMETERS, "no_such_filter"}):
        for kind, value in HOSTILE_VALUES.items():
            response = probe.send("get", path, QUERY_STRING=_query({parameter: value}))
            case = f"?{parameter}= {kind}"
            served = probe.expect_no_server_error(case, response)
            if served and op.path not in NOT_JSON and json_body(response) is None:
                probe.fail(case, response, "answer is not JSON")
        # The same parameter twice, and the raw bytes of invalid UTF-8.
        response = probe.send("get", path, QUERY_STRING=f"{parameter}=1&{parameter}=2")
        probe.expect_no_server_error(f"?{parameter} twice", response)
        response = probe.send("get", path, QUERY_STRING=f"{parameter}=%ff%fe%c3%28")
        probe.expect_no_server_error(f"?{parameter}= invalid utf-8", response)
    probe.check()


def _query(params: dict[str, str]) -> str:
    return urlencode(params)


def test_cursor_garbage_is_a_400_not_a_500(world, admin_client):
    probe = Probe(admin_client, world)
    for path in ("/api/v1/songs/", "/api/v1/me/likes/", "/api/v1/me/history/"):
        for cursor in ("garbage", "cD0xMjM=", "cj0xJnA9eA==", "x" * 5000, "%ff%fe"):
            response = probe.send("get", path, QUERY_STRING=f"cursor={cursor}")
            probe.expect_refused(f"{path} cursor={cursor[:20]}", response, {400, 404})
    probe.check()


def test_ordering_by_a_secret_or_unknown_column_is_ignored(world, admin_client):
    """DRF's ordering filter accepts only the view's declared fields; the rest is dropped,
    so `?ordering=password` can never sort (and so leak) by a hash."""
    probe = Probe(admin_client, world)
    for path in ("/api/v1/artists/", "/api/v1/albums/", "/api/v1/songs/", "/api/v1/posts/"):
        baseline = probe.send("get", path).json()["results"]
        for ordering in ("-password", "author__password", "album__artist__id,password", "?"):
            response = probe.send("get", path, QUERY_STRING=f"ordering={ordering}")
            if probe.expect_no_server_error(f"{path} ordering={ordering}", response):
                assert response.status_code in {200, 400}
                if response.status_code == 200:
                    assert response.json()["results"] == baseline
    probe.check()


PATH_SEGMENTS = {
    "nul": "%00",
    "long": "x" * 5000,
    "huge_number": "9" * 40,
    "negative": "-1",
    "traversal": "..%2F..%2Fetc%2Fpasswd",
    "sql": "'%20OR%201=1--",
    "invalid_utf8": "%ff%fe",
    "emoji": "%F0%9F%8E%B5",
}


@pytest.mark.parametrize("op", [op for op in operations() if "{" in op.path], ids=lambda op: op.id)
def test_hostile_path_segments_are_a_404_not_a_500(op, world, admin_client):
    probe = Probe(admin_client, world)
    body = valid_body(op, world) if op.method != "get" else None
    raw = orjson.dumps(body) if body is not None else b""
    segments = op.path.split("/")
    for index, segment in enumerate(segments):
        if not segment.startswith("{"):
            continue
        for kind, value in PATH_SEGMENTS.items():
            template = "/".join([*segments[:index], value, *segments[index + 1 :]])
            path = concrete_path(template, world)
            response = probe.send(op.method, path, raw, "application/json")
            probe.expect_refused(f"{segment}={kind}", response, {400, 404, 405})
    probe.check()

"""Script payloads stay inert wherever they are rendered, and the 5xx the hostile walk
found stay fixed (each test here failed before its fix)."""

import orjson
import pytest
from rest_framework.test import APIClient

from setlist.journal.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

SCRIPT_BODY = (
    "Hello <script>alert(1)</script> and <img src=x onerror=alert(2)> "
    '[link](javascript:alert(3)) <a href="javascript:alert(4)">x</a> <svg onload=alert(5)>'
)


@pytest.fixture
def hostile_post(world):
    return PostFactory(author=world.admin, title="<script>alert(0)</script>", body=SCRIPT_BODY)


def test_the_api_returns_script_text_verbatim_as_json(hostile_post, api_client):
    response = api_client.get(f"/api/v1/posts/{hostile_post.slug}/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["body"] == SCRIPT_BODY
    assert response.json()["title"] == "<script>alert(0)</script>"


def test_the_browsable_api_escapes_script_text(hostile_post, api_client):
    response = api_client.get(f"/api/v1/posts/{hostile_post.slug}/", HTTP_ACCEPT="text/html")
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_the_admin_renders_post_markdown_without_scripts_or_handlers(hostile_post, world):
    client = APIClient()
    client.force_login(world.admin)
    response = client.get(f"/admin/journal/post/{hostile_post.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode().lower()
    # The raw text shows escaped in the form's textarea; the rendered preview is HTML.
    assert "<p>hello" in html
    for needle in (
        "<script>alert",
        "<img src=x",
        "<svg onload",
        'href="javascript:',
        "<a href=javascript",
    ):
        assert needle not in html, needle


# --- Regressions ------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["username", "email", "password", "image"])
def test_conduit_registration_refuses_overlong_text_with_a_422(api_client, field):
    """A 100 000-character username reached a case-insensitive uniqueness query, which
    SQLite refuses ("LIKE or GLOB pattern too complex"): a 503 instead of a 422."""
    user = {"username": "newcomer", "email": "new@example.com", "password": "long-enough-1"}
    user[field] = "x" * 100_000
    response = api_client.post(
        "/conduit/api/users", orjson.dumps({"user": user}), content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize("field", ["username", "email", "password", "image"])
def test_conduit_profile_update_refuses_overlong_text_with_a_422(world, admin_client, field):
    response = admin_client.put(
        "/conduit/api/user",
        orjson.dumps({"user": {field: "x" * 100_000}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize("path", ["/conduit/api/articles", "/conduit/api/articles/feed"])
def test_conduit_offset_past_any_database_integer_is_an_empty_page(world, admin_client, path):
    """`?offset=10**30` went into SQL OFFSET and overflowed the driver: a 500."""
    response = admin_client.get(path, {"offset": 10**30})
    assert response.status_code == 200
    assert response.json()["articles"] == []


def test_a_body_refused_for_its_size_still_forbids_framing(api_client):
    """The body-limit middleware answers above the clickjacking middleware."""
    response = api_client.post(
        "/api/v1/posts/", b"{}", content_type="application/json", CONTENT_LENGTH=str(10**9)
    )
    assert response.status_code == 413
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts/a%00b/",
        "/api/v1/users/a%00b/",
        "/conduit/api/articles/a%00b",
        "/conduit/api/profiles/a%00b",
    ],
)
def test_nul_in_a_path_segment_is_a_404(world, admin_client, path):
    """PostgreSQL refuses NUL in text it compares; the slug lookup was a 500 there."""
    assert admin_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["author=a%00b", "tag=%00", "favorited_by=x%00", "search=%00", "a%00=1"],
)
def test_nul_in_a_query_string_is_a_400(world, admin_client, query):
    response = admin_client.get("/api/v1/posts/", QUERY_STRING=query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"  # documented on every 400


def test_nul_in_a_conduit_url_is_answered_in_realworld_shape(world, admin_client):
    query = admin_client.get("/conduit/api/articles", QUERY_STRING="tag=%00")
    path = admin_client.get("/conduit/api/articles/a%00b")

    assert (query.status_code, query.json()) == (422, {"errors": {"query": ["is invalid"]}})
    assert (path.status_code, path.json()) == (404, {"errors": {"resource": ["not found"]}})


def test_nul_in_a_genre_slug_is_invalid_not_a_database_error(world, admin_client):
    response = admin_client.patch(
        f"/api/v1/songs/{world.song.pk}/", {"genre_slug": "ro\x00ck"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "genre_slug"

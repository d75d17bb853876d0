"""Resource limits: page sizes clamped on every list, batch parameters capped, and the
expensive endpoints throttled with a 429 that says when to come back."""

from types import SimpleNamespace

import orjson
import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from setlist.accounts.models import User
from setlist.catalog.models import Artist, Genre, searchable
from setlist.core.pagination import MAX_PAGE_SIZE, PageSizeMixin
from setlist.journal.models import Post
from setlist.journal.services import MAX_TAGS_PER_POST
from setlist.library.models import SongLike
from setlist.library.serializers import MAX_CONTAINS_IDS

from .operations import concrete_path, get_operations, operations

pytestmark = pytest.mark.django_db

LISTS = [op for op in get_operations() if op.is_paginated_list()]


def _view_class(path: str):
    match = resolve(path)
    return getattr(match.func, "cls", None) or match.func.view_class


def test_the_walk_finds_the_documented_lists():
    paths = {op.path for op in LISTS}
    for expected in ("/api/v1/songs/", "/api/v1/me/likes/", "/api/v1/posts/", "/api/v1/tags/"):
        assert expected in paths


@pytest.mark.parametrize("op", LISTS, ids=lambda op: op.id)
def test_every_list_clamps_page_size_at_the_documented_maximum(op, world, admin_client):
    paginator = _view_class(concrete_path(op.path, world)).pagination_class
    assert issubclass(paginator, PageSizeMixin)
    assert paginator.max_page_size == MAX_PAGE_SIZE == 100
    response = admin_client.get(concrete_path(op.path, world), {"page_size": 10**9})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= MAX_PAGE_SIZE


@pytest.fixture
def crowded(world):
    """More rows than one page can hold, in lists of each kind of paginator."""
    Genre.objects.bulk_create(Genre(name=f"G{i}", slug=f"g-{i}") for i in range(120))
    Artist.objects.bulk_create(Artist(name=f"A{i}") for i in range(120))
    users = User.objects.bulk_create(
        User(username=f"fan{i}", email=f"fan{i}@example.com") for i in range(120)
    )
    Post.objects.bulk_create(
        Post(title=f"P{i}", slug=f"p-{i}", body="b", author=world.admin) for i in range(120)
    )
    SongLike.objects.bulk_create(SongLike(user=user, song=world.song) for user in users)
    return world


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/api/v1/genres/", "anonymous"),
        ("/api/v1/artists/", "anonymous"),
        ("/api/v1/posts/", "anonymous"),
    ],
)
@pytest.mark.parametrize("page_size", ["101", str(10**9), "9" * 40])
def test_a_full_list_gives_exactly_the_maximum(crowded, api_client, path, who, page_size):
    response = api_client.get(path, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == MAX_PAGE_SIZE
    assert response.json()["count"] > MAX_PAGE_SIZE


def test_conduit_limit_is_clamped_too(crowded, api_client):
    response = api_client.get("/conduit/api/articles", {"limit": 10**9})
    assert response.status_code == 200
    assert len(response.json()["articles"]) == 100


# --- Batch parameters -------------------------------------------------------------------


def test_likes_contains_answers_up_to_the_cap(world, admin_client):
    ids = ",".join([str(world.song.pk)] * MAX_CONTAINS_IDS)
    response = admin_client.get("/api/v1/me/likes/contains/", {"ids": ids})
    assert response.status_code == 200
    assert len(response.json()) == MAX_CONTAINS_IDS


@pytest.mark.parametrize("count", [MAX_CONTAINS_IDS + 1, 10_000])
def test_likes_contains_refuses_more_ids_than_the_cap(world, admin_client, count):
    ids = ",".join(str(n) for n in range(1, count + 1))
    response = admin_client.get("/api/v1/me/likes/contains/", {"ids": ids})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ids"


def test_search_limit_is_clamped_at_fifty(world, api_client):
    Artist.objects.bulk_create(
        Artist(name=f"Echo {i}", search_name=searchable(f"Echo {i}")) for i in range(60)
    )
    response = api_client.get("/api/v1/search/", {"q": "echo", "limit": 10**9})
    assert response.status_code == 200
    assert len(response.json()["artists"]) == 50


@pytest.mark.parametrize(
    ("path", "wrap", "field"),
    [("/api/v1/posts/", None, "tags"), ("/conduit/api/articles", "article", "tagList")],
)
def test_a_post_takes_at_most_the_capped_number_of_tags(world, admin_client, path, wrap, field):
    def create(tag_count: int):
        fields = {"title": f"T{tag_count}", "description": "d", "body": "b"}
        fields[field] = [f"t{i}" for i in range(tag_count)]
        body = {wrap: fields} if wrap else fields
        return admin_client.post(path, orjson.dumps(body), content_type="application/json")

    assert create(MAX_TAGS_PER_POST).status_code == 201
    assert create(MAX_TAGS_PER_POST + 1).status_code in {400, 422}
    assert create(10_000).status_code in {400, 422}


# --- Throttles on the expensive and the credential endpoints ------------------------------

# Every operation that must be throttled by its own scope (search, plays, credentials).
THROTTLED = {
    "GET /api/v1/search/",
    "POST /api/v1/songs/{song_id}/plays/",
    "POST /api/v1/auth/token/",
    "POST /api/v1/auth/register/",
    "POST /api/v1/auth/cookie/login/",
    "POST /api/v1/auth/api-token/",
    "POST /api/v1/auth/password-reset/",
    "POST /api/v1/auth/password-reset/confirm/",
    "POST /conduit/api/users",
    "POST /conduit/api/users/login",
}
# Signed-in operations that check the caller's password: limited like a login.
THROTTLED_SIGNED_IN = {
    "POST /api/v1/users/me/password/",
    "DELETE /api/v1/users/me/",
}


def _declares_a_scope(op, world) -> bool:
    view = _view_class(concrete_path(op.path, world))()
    # Some views choose their scope per method (a property reading the request).
    view.request = SimpleNamespace(method=op.method.upper())
    return bool(getattr(view, "throttle_scope", ""))


def test_the_throttled_operations_are_the_ones_whose_views_declare_a_scope(world):
    declared = {op.id for op in operations() if _declares_a_scope(op, world)}
    assert declared == THROTTLED | THROTTLED_SIGNED_IN


@pytest.mark.parametrize("op_id", sorted(THROTTLED | THROTTLED_SIGNED_IN))
def test_throttled_operations_answer_429_with_retry_after(world, settings, op_id):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {scope: "2/min" for scope in rates},
    }
    method, template = op_id.split(" ")
    path = concrete_path(template, world)
    client = APIClient()
    if op_id in THROTTLED_SIGNED_IN:
        client.force_authenticate(world.admin)
    query = {"QUERY_STRING": "q=band"} if method == "GET" else {}
    answers = [
        client.generic(method, path, b"{}", content_type="application/json", **query)
        for _ in range(3)
    ]
    assert [a.status_code == 429 for a in answers] == [False, False, True]
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 0
    if not path.startswith("/conduit/"):  # RealWorld words its errors its own way
        assert refused.json()["errors"][0]["code"] == "throttled"
    assert all(a["X-RateLimit-Limit"] == "2" for a in answers)
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["1", "0", "0"]

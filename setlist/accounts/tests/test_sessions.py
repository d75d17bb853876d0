"""GET /api/v1/auth/sessions/ and DELETE /api/v1/auth/sessions/{id}/."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.accounts.tokens import token_pair_issue

from .helpers import bearer_client, claims, obtain_pair

URL = "/api/v1/auth/sessions/"
REFRESH = "/api/v1/auth/token/refresh/"

pytestmark = pytest.mark.django_db


def session_id(refresh: str) -> int:
    return OutstandingToken.objects.get(jti=claims(refresh)["jti"]).pk


def test_sessions_lists_the_callers_live_refresh_tokens_newest_first(api_client, user, other_user):
    phone = obtain_pair(api_client, user.username, HTTP_USER_AGENT="phone")
    laptop = obtain_pair(api_client, user.username, HTTP_USER_AGENT="laptop")
    obtain_pair(api_client, other_user.username, HTTP_USER_AGENT="someone else")
    spent = obtain_pair(api_client, user.username, HTTP_USER_AGENT="spent")
    api_client.post("/api/v1/auth/logout/", {"refresh": spent["refresh"]})

    response = bearer_client(laptop["access"]).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["user_agent"] for item in body["results"]] == ["laptop", "phone"]
    first = body["results"][0]
    assert set(first) == {"id", "created_at", "expires_at", "user_agent"}
    assert first["id"] == session_id(laptop["refresh"])
    assert first["expires_at"].endswith("Z")
    assert phone["refresh"]  # listed second, still live


def test_a_token_issued_without_a_device_lists_an_empty_user_agent(user):
    OutstandingToken.objects.all().delete()
    pair = token_pair_issue(user=user)
    OutstandingToken.objects.get(jti=claims(pair["refresh"])["jti"]).device.delete()

    body = bearer_client(pair["access"]).get(URL).json()

    assert body["results"][0]["user_agent"] == ""


def test_sessions_query_count_does_not_grow_with_the_page(user, django_assert_max_num_queries):
    access = token_pair_issue(user=user)["access"]
    client = bearer_client(access)
    for _ in range(24):
        token_pair_issue(user=user)

    with django_assert_max_num_queries(4):
        small = client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = client.get(URL, {"page_size": 25})

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 25


def test_deleting_a_session_revokes_that_refresh_token_only(api_client, user):
    kept = obtain_pair(api_client, user.username)
    dropped = obtain_pair(api_client, user.username)

    response = bearer_client(kept["access"]).delete(f"{URL}{session_id(dropped['refresh'])}/")

    assert response.status_code == 204
    assert api_client.post(REFRESH, {"refresh": dropped["refresh"]}).status_code == 401
    assert api_client.post(REFRESH, {"refresh": kept["refresh"]}).status_code == 200


def test_deleting_someone_elses_or_a_dead_session_is_404(api_client, user, other_user):
    mine = obtain_pair(api_client, user.username)
    theirs = obtain_pair(api_client, other_user.username)
    client = bearer_client(mine["access"])
    dead = obtain_pair(api_client, user.username)
    api_client.post("/api/v1/auth/logout/", {"refresh": dead["refresh"]})

    assert client.delete(f"{URL}{session_id(theirs['refresh'])}/").status_code == 404
    assert client.delete(f"{URL}{session_id(dead['refresh'])}/").status_code == 404
    assert client.delete(f"{URL}999999/").status_code == 404
    assert api_client.post(REFRESH, {"refresh": theirs["refresh"]}).status_code == 200


def test_sessions_need_a_signed_in_user(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.delete(f"{URL}1/").status_code == 401

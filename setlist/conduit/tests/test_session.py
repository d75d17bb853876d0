"""A whole RealWorld session through `/conduit/api/`, and the same data seen from `/api/v1/`."""

import pytest
from rest_framework.test import APIClient

from .conftest import API

pytestmark = pytest.mark.django_db

PASSWORD = "dragon-rider-2026"


def signed_in(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def register(username: str) -> str:
    response = APIClient().post(
        f"{API}/users",
        {"user": {"username": username, "email": f"{username}@example.com", "password": PASSWORD}},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["user"]["token"]


def test_a_whole_realworld_session():
    anonymous = APIClient()
    register("jake")

    # Log in (by email), read and update the current user.
    login = anonymous.post(
        f"{API}/users/login",
        {"user": {"email": "jake@example.com", "password": PASSWORD}},
        format="json",
    )
    assert login.status_code == 200
    jake = signed_in(login.json()["user"]["token"])
    assert jake.get(f"{API}/user").json()["user"]["username"] == "jake"
    updated = jake.put(
        f"{API}/user", {"user": {"bio": "I like dragons", "image": ""}}, format="json"
    )
    assert updated.status_code == 200
    assert (updated.json()["user"]["bio"], updated.json()["user"]["image"]) == (
        "I like dragons",
        None,
    )
    jake = signed_in(updated.json()["user"]["token"])

    # Publish an article.
    created = jake.post(
        f"{API}/articles",
        {
            "article": {
                "title": "How to train your dragon",
                "description": "Ever wonder how?",
                "body": "You have to believe",
                "tagList": ["training", "dragons"],
            }
        },
        format="json",
    )
    assert created.status_code == 201
    slug = created.json()["article"]["slug"]

    # A reader finds it by tag and by author, follows jake and sees it in their feed.
    rosa = signed_in(register("rosa"))
    by_tag = rosa.get(f"{API}/articles?tag=dragons").json()
    assert [a["slug"] for a in by_tag["articles"]] == [slug]
    assert rosa.get(f"{API}/articles?author=jake").json()["articlesCount"] == 1
    assert rosa.get(f"{API}/articles/feed").json()["articlesCount"] == 0
    followed = rosa.post(f"{API}/profiles/jake/follow")
    assert followed.json()["profile"] == {
        "username": "jake",
        "bio": "I like dragons",
        "image": None,
        "following": True,
    }
    feed = rosa.get(f"{API}/articles/feed").json()
    assert [a["slug"] for a in feed["articles"]] == [slug]
    assert feed["articles"][0]["author"]["following"] is True

    # Comment, favourite, find it among rosa's favourites, unfavourite.
    comment = rosa.post(
        f"{API}/articles/{slug}/comments", {"comment": {"body": "Great read"}}, format="json"
    )
    assert comment.status_code == 201
    comment_id = comment.json()["comment"]["id"]
    assert [
        c["id"] for c in anonymous.get(f"{API}/articles/{slug}/comments").json()["comments"]
    ] == [comment_id]
    favourite = rosa.post(f"{API}/articles/{slug}/favorite").json()["article"]
    assert (favourite["favorited"], favourite["favoritesCount"]) == (True, 1)
    assert [
        a["slug"] for a in anonymous.get(f"{API}/articles?favorited=rosa").json()["articles"]
    ] == [slug]
    unfavourite = rosa.delete(f"{API}/articles/{slug}/favorite").json()["article"]
    assert (unfavourite["favorited"], unfavourite["favoritesCount"]) == (False, 0)
    assert anonymous.get(f"{API}/articles?favorited=rosa").json()["articlesCount"] == 0

    # Unfollow: the feed empties.
    assert rosa.delete(f"{API}/profiles/jake/follow").json()["profile"]["following"] is False
    assert rosa.get(f"{API}/articles/feed").json()["articlesCount"] == 0

    # Jake deletes rosa's comment: it is on his article.
    assert jake.delete(f"{API}/articles/{slug}/comments/{comment_id}").status_code == 204
    assert anonymous.get(f"{API}/articles/{slug}/comments").json() == {"comments": []}

    # Rosa cannot delete jake's article; jake can, and then it is gone.
    assert rosa.delete(f"{API}/articles/{slug}").status_code == 403
    assert jake.delete(f"{API}/articles/{slug}").status_code == 204
    gone = anonymous.get(f"{API}/articles/{slug}")
    assert gone.status_code == 404
    assert gone.json() == {"errors": {"article": ["not found"]}}
    assert anonymous.get(f"{API}/tags").json() == {"tags": []}


def test_a_member_registered_through_conduit_signs_in_to_the_native_api():
    register("rosa")
    tokens = APIClient().post(
        "/api/v1/auth/token/", {"username": "rosa", "password": PASSWORD}, format="json"
    )
    assert tokens.status_code == 200
    native = APIClient()
    native.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
    assert native.get("/api/v1/feed/").status_code == 200


def test_an_article_posted_through_conduit_is_a_native_post_and_back():
    jake = signed_in(register("jake"))
    slug = jake.post(
        f"{API}/articles",
        {"article": {"title": "Cross", "description": "d", "body": "*md*", "tagList": ["x"]}},
        format="json",
    ).json()["article"]["slug"]
    native = APIClient().get(f"/api/v1/posts/{slug}/").json()
    assert (native["title"], native["body"], native["tags"]) == ("Cross", "*md*", ["x"])
    assert native["author"]["username"] == "jake"

    # A favourite through the native API shows in Conduit, and a post written there too.
    rosa_token = register("rosa")
    rosa_native = APIClient()
    rosa_native.credentials(HTTP_AUTHORIZATION=f"Token {rosa_token}")
    assert rosa_native.put(f"/api/v1/posts/{slug}/favorite/").status_code == 200
    written = rosa_native.post("/api/v1/posts/", {"title": "Native", "body": "b"}, format="json")
    assert written.status_code == 201
    articles = APIClient().get(f"{API}/articles").json()["articles"]
    assert {a["slug"]: a["favoritesCount"] for a in articles} == {slug: 1, "native": 0}

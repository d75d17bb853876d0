"""Articles, favourites, the feed and tags, as RealWorld clients see them."""

import re

import pytest

from setlist.accounts.tests.factories import UserFactory
from setlist.journal import services
from setlist.journal.models import Post
from setlist.journal.tests.factories import FavoriteFactory, FollowFactory, PostFactory

from .conftest import API

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ARTICLE_FIELDS = {
    "slug",
    "title",
    "description",
    "body",
    "tagList",
    "createdAt",
    "updatedAt",
    "favorited",
    "favoritesCount",
    "author",
}


def new_article(**fields) -> dict:
    article = {
        "title": "How to train your dragon",
        "description": "Ever wonder how?",
        "body": "You have to believe",
        **fields,
    }
    return {"article": article}


@pytest.fixture
def article(jake):
    return services.post_create(
        author=jake, title="Dragons", description="About", body="Body", tags=["zoo", "art"]
    )


def test_create_is_201_with_the_wrapped_camelcase_article(jake_client):
    response = jake_client.post(
        f"{API}/articles", new_article(tagList=["training", "dragons"]), format="json"
    )
    assert response.status_code == 201
    article = response.json()["article"]
    assert set(article) == ARTICLE_FIELDS
    assert article["slug"] == "how-to-train-your-dragon"
    assert article["tagList"] == ["dragons", "training"]
    assert TIMESTAMP.match(article["createdAt"])
    assert TIMESTAMP.match(article["updatedAt"])
    assert (article["favorited"], article["favoritesCount"]) == (False, 0)
    assert article["author"] == {
        "username": "jake",
        "bio": "I work at statefarm",
        "image": None,
        "following": False,
    }


def test_create_without_tag_list_has_no_tags(jake_client):
    article = jake_client.post(f"{API}/articles", new_article(), format="json").json()["article"]
    assert article["tagList"] == []


def test_create_same_title_twice_gives_two_slugs(jake_client):
    first = jake_client.post(f"{API}/articles", new_article(), format="json").json()
    second = jake_client.post(f"{API}/articles", new_article(), format="json").json()
    assert first["article"]["slug"] != second["article"]["slug"]


def test_create_without_token_is_401_is_missing(api_client):
    response = api_client.post(f"{API}/articles", new_article(), format="json")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}
    assert response.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_create_blank_field_is_422_cant_be_blank(jake_client, field):
    response = jake_client.post(f"{API}/articles", new_article(**{field: ""}), format="json")
    assert response.status_code == 422
    assert response.json() == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize(
    ("change", "field"),
    [({"title": 12}, "title"), ({"body": 0}, "body"), ({"tagList": [0]}, "tagList")],
)
def test_create_with_numbers_for_text_is_422(jake_client, change, field):
    response = jake_client.post(f"{API}/articles", new_article(**change), format="json")
    assert response.status_code == 422
    assert response.json() == {"errors": {field: ["is invalid"]}}


def test_create_whitespace_body_is_422(jake_client):
    response = jake_client.post(f"{API}/articles", new_article(body="   "), format="json")
    assert response.json() == {"errors": {"body": ["can't be blank"]}}


@pytest.mark.parametrize(
    ("tag_list", "message"),
    [
        (None, "can't be null"),
        ("dragons", "must be an array of strings"),
        ([""], "can't be blank"),
        ([f"t{i}" for i in range(21)], "has too many tags (maximum is 20)"),
    ],
)
def test_create_bad_tag_list_is_422(jake_client, tag_list, message):
    response = jake_client.post(f"{API}/articles", new_article(tagList=tag_list), format="json")
    assert response.status_code == 422
    assert response.json() == {"errors": {"tagList": [message]}}


def test_malformed_json_is_422(jake_client):
    response = jake_client.post(
        f"{API}/articles", data="{not json", content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["body"]


def test_get_article_anonymous(api_client, article):
    response = api_client.get(f"{API}/articles/dragons")
    assert response.status_code == 200
    body = response.json()["article"]
    assert body["body"] == "Body"
    assert body["tagList"] == ["art", "zoo"]


def test_get_unknown_article_is_404_not_found(api_client):
    response = api_client.get(f"{API}/articles/unknown-slug")
    assert response.status_code == 404
    assert response.json() == {"errors": {"article": ["not found"]}}


def test_update_body_keeps_slug_tags_and_created_at(jake_client, article):
    before = jake_client.get(f"{API}/articles/dragons").json()["article"]
    response = jake_client.put(
        f"{API}/articles/dragons", {"article": {"body": "New body"}}, format="json"
    )
    assert response.status_code == 200
    after = response.json()["article"]
    assert after["body"] == "New body"
    assert (after["slug"], after["title"], after["tagList"]) == (
        "dragons",
        "Dragons",
        ["art", "zoo"],
    )
    assert after["createdAt"] == before["createdAt"]
    assert after["updatedAt"] != before["updatedAt"]


def test_update_title_gives_a_new_slug(jake_client, article):
    response = jake_client.put(
        f"{API}/articles/dragons", {"article": {"title": "Wyverns"}}, format="json"
    )
    assert response.json()["article"]["slug"] == "wyverns"
    assert jake_client.get(f"{API}/articles/dragons").status_code == 404


def test_update_empty_tag_list_clears_the_tags(jake_client, article):
    response = jake_client.put(
        f"{API}/articles/dragons", {"article": {"tagList": []}}, format="json"
    )
    assert response.json()["article"]["tagList"] == []


def test_update_tag_list_replaces_the_tags(jake_client, article):
    response = jake_client.put(
        f"{API}/articles/dragons", {"article": {"tagList": ["b", "a"]}}, format="json"
    )
    assert response.json()["article"]["tagList"] == ["a", "b"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"tagList": None}, {"tagList": ["can't be null"]}),
        ({"title": ""}, {"title": ["can't be blank"]}),
        ({"body": None}, {"body": ["can't be blank"]}),
    ],
)
def test_update_bad_fields_are_422(jake_client, article, changes, errors):
    response = jake_client.put(f"{API}/articles/dragons", {"article": changes}, format="json")
    assert response.status_code == 422
    assert response.json() == {"errors": errors}
    assert Post.objects.get(pk=article.pk).tags.count() == 2


def test_update_someone_elses_article_is_403_forbidden(token_client, article):
    response = token_client(UserFactory()).put(
        f"{API}/articles/dragons", {"article": {"body": "mine"}}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"errors": {"article": ["forbidden"]}}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_write_unknown_article_is_404(jake_client, method):
    response = getattr(jake_client, method)(
        f"{API}/articles/unknown-slug", {"article": {"body": "x"}}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"errors": {"article": ["not found"]}}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_write_without_token_is_401_before_404(api_client, method):
    response = getattr(api_client, method)(
        f"{API}/articles/some-slug", {"article": {"body": "x"}}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


def test_delete_is_204_and_the_article_is_404_afterwards(jake_client, article):
    assert jake_client.delete(f"{API}/articles/dragons").status_code == 204
    response = jake_client.get(f"{API}/articles/dragons")
    assert response.status_code == 404
    assert response.json() == {"errors": {"article": ["not found"]}}


def test_delete_someone_elses_article_is_403(token_client, article):
    response = token_client(UserFactory()).delete(f"{API}/articles/dragons")
    assert response.status_code == 403
    assert response.json() == {"errors": {"article": ["forbidden"]}}
    assert Post.objects.filter(pk=article.pk).exists()


def test_favorite_and_unfavorite_are_idempotent_and_return_the_article(token_client, article):
    client = token_client(UserFactory())
    for _ in range(2):
        response = client.post(f"{API}/articles/dragons/favorite")
        assert response.status_code == 200
        assert (
            response.json()["article"]["favorited"],
            response.json()["article"]["favoritesCount"],
        ) == (True, 1)
    for _ in range(2):
        response = client.delete(f"{API}/articles/dragons/favorite")
        assert response.status_code == 200
        assert (
            response.json()["article"]["favorited"],
            response.json()["article"]["favoritesCount"],
        ) == (False, 0)


@pytest.mark.parametrize("method", ["post", "delete"])
def test_favorite_unknown_is_404_and_anonymous_401(jake_client, api_client, method):
    response = getattr(jake_client, method)(f"{API}/articles/unknown-slug/favorite")
    assert response.status_code == 404
    assert response.json() == {"errors": {"article": ["not found"]}}
    response = getattr(api_client, method)(f"{API}/articles/some-slug/favorite")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


@pytest.fixture
def catalogue(jake):
    """Three articles by two authors, one favourited by `fan`, newest last."""
    other = UserFactory(username="other")
    fan = UserFactory(username="fan")
    first = PostFactory(author=jake, slug="first", tags=["dragons"])
    second = PostFactory(author=other, slug="second", tags=["dragons", "cats"])
    third = PostFactory(author=other, slug="third")
    FavoriteFactory(user=fan, post=first)
    return first, second, third


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("", ["third", "second", "first"]),
        ("?tag=dragons", ["second", "first"]),
        ("?author=jake", ["first"]),
        ("?author=other&tag=cats", ["second"]),
        ("?favorited=fan", ["first"]),
        ("?favorited=jake", []),
        ("?limit=1", ["third"]),
        ("?limit=1&offset=1", ["second"]),
        ("?offset=5", []),
    ],
)
def test_list_filters_and_windows(api_client, catalogue, query, slugs):
    response = api_client.get(f"{API}/articles{query}")
    assert response.status_code == 200
    body = response.json()
    assert [a["slug"] for a in body["articles"]] == slugs
    assert all("body" not in a for a in body["articles"])
    if "limit" not in query and "offset" not in query:
        assert body["articlesCount"] == len(slugs)


def test_list_count_ignores_the_window(api_client, catalogue):
    body = api_client.get(f"{API}/articles?limit=1&offset=1").json()
    assert body["articlesCount"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.0", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("offset=%201", "offset"),
    ],
)
def test_list_bad_window_is_422(api_client, query, field):
    response = api_client.get(f"{API}/articles?{query}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_list_limit_is_capped(api_client, jake):
    for _ in range(105):
        PostFactory(author=jake)
    assert len(api_client.get(f"{API}/articles?limit=500").json()["articles"]) == 100


def test_list_query_count_does_not_grow_with_limit(client_for_count, django_assert_num_queries):
    for index in range(10):
        post = PostFactory(tags=[f"t{index}", "x"])
        FavoriteFactory(post=post)
    for limit in (2, 10):
        # the window (authors joined, caller's view annotated), its tags, and the count
        with django_assert_num_queries(3):
            response = client_for_count.get(f"{API}/articles?limit={limit}")
        assert len(response.json()["articles"]) == limit


@pytest.fixture
def client_for_count(db):
    """Force-authenticated, so the count covers the view's own queries only."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


def test_feed_lists_followed_authors_with_following_true(jake, jake_client, catalogue):
    FollowFactory(follower=jake, followee=catalogue[1].author)
    body = jake_client.get(f"{API}/articles/feed").json()
    assert [a["slug"] for a in body["articles"]] == ["third", "second"]
    assert body["articlesCount"] == 2
    assert all(a["author"]["following"] for a in body["articles"])
    window = jake_client.get(f"{API}/articles/feed?limit=1&offset=1").json()
    assert [a["slug"] for a in window["articles"]] == ["second"]
    assert window["articlesCount"] == 2


def test_feed_of_a_new_member_is_empty(token_client):
    body = token_client(UserFactory()).get(f"{API}/articles/feed").json()
    assert body == {"articles": [], "articlesCount": 0}


def test_feed_without_token_is_401(api_client):
    response = api_client.get(f"{API}/articles/feed")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


def test_an_article_titled_feed_stays_reachable(jake_client):
    slug = jake_client.post(f"{API}/articles", new_article(title="Feed"), format="json").json()[
        "article"
    ]["slug"]
    assert slug != "feed"
    assert jake_client.get(f"{API}/articles/{slug}").status_code == 200


def test_tags_are_all_tags_in_use_most_used_first(api_client, catalogue):
    response = api_client.get(f"{API}/tags")
    assert response.status_code == 200
    assert response.json() == {"tags": ["dragons", "cats"]}

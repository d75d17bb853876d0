"""Posts through HTTP: shape, filters, writes and who may make them."""

from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator

from setlist.accounts.tests.factories import UserFactory
from setlist.journal import services
from setlist.journal.models import Post

from .factories import FavoriteFactory, FollowFactory, PostFactory

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "slug",
    "title",
    "description",
    "tags",
    "author",
    "created_at",
    "updated_at",
    "favorited",
    "favorite_count",
}


def test_detail_has_the_contract_fields_with_tags_sorted(api_client, post):
    response = api_client.get("/api/v1/posts/blue-train/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == LIST_FIELDS | {"body"}
    assert body["tags"] == ["bop", "jazz"]
    assert body["body"] == "# Blue\n\nTrain"
    assert body["author"] == {
        "username": "writer",
        "bio": "Writes about records.",
        "following": False,
    }
    assert body["favorited"] is False
    assert body["created_at"].endswith("Z")


def test_list_omits_the_body_and_is_paginated_newest_first(api_client, author):
    older = PostFactory(author=author)
    newer = PostFactory(author=author)
    body = api_client.get("/api/v1/posts/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [item["slug"] for item in body["results"]] == [newer.slug, older.slug]
    assert all(set(item) == LIST_FIELDS for item in body["results"])


def test_favorited_and_following_are_the_callers_view(client_for, post, author):
    reader = UserFactory()
    services.favorite_add(user=reader, post=post)
    FollowFactory(follower=reader, followee=author)
    seen_by_reader = client_for(reader).get("/api/v1/posts/").json()["results"][0]
    assert seen_by_reader["favorited"] is True
    assert seen_by_reader["author"]["following"] is True
    assert seen_by_reader["favorite_count"] == 1
    seen_by_other = client_for(UserFactory()).get("/api/v1/posts/").json()["results"][0]
    assert seen_by_other["favorited"] is False
    assert seen_by_other["author"]["following"] is False


def test_anonymous_sees_favorited_and_following_false(api_client, post):
    services.favorite_add(user=UserFactory(), post=post)
    item = api_client.get("/api/v1/posts/").json()["results"][0]
    assert item["favorited"] is False
    assert item["favorite_count"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author=writer", {"blue-train"}),
        ("author=WRITER", {"blue-train"}),
        ("tag=jazz", {"blue-train", "kind-of-blue"}),
        ("tag=bop", {"blue-train"}),
        ("favorited_by=fan", {"kind-of-blue"}),
        ("search=modal", {"kind-of-blue"}),
        ("search=TRAIN", {"blue-train"}),
        ("tag=jazz&author=other", {"kind-of-blue"}),
        ("tag=nothing", set()),
        ("author=nobody", set()),
    ],
)
def test_list_filters(api_client, post, query, expected):
    other = UserFactory(username="other")
    kind = PostFactory(
        author=other, title="Kind of Blue", slug="kind-of-blue", body="Modal jazz", tags=["jazz"]
    )
    FavoriteFactory(user=UserFactory(username="fan"), post=kind)
    body = api_client.get(f"/api/v1/posts/?{query}").json()
    assert {item["slug"] for item in body["results"]} == expected
    assert body["count"] == len(expected)


def test_create_returns_201_with_the_post(client_for, author):
    response = client_for(author).post(
        "/api/v1/posts/",
        {"title": "Giant Steps", "description": "Coltrane", "body": "  *fast*  ", "tags": ["sax"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "giant-steps"
    assert body["body"] == "  *fast*  "  # Markdown stored exactly as written
    assert body["tags"] == ["sax"]
    assert body["author"]["username"] == "writer"
    assert Post.objects.get(slug="giant-steps").author == author


def test_same_title_twice_gives_two_slugs(client_for, author):
    client = client_for(author)
    first = client.post("/api/v1/posts/", {"title": "Same", "body": "a"}, format="json").json()
    second = client.post("/api/v1/posts/", {"title": "Same", "body": "b"}, format="json").json()
    assert first["slug"] == "same"
    assert second["slug"].startswith("same-")
    assert second["slug"] != first["slug"]


def test_create_anonymous_is_401(api_client):
    response = api_client.post("/api/v1/posts/", {"title": "x", "body": "y"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_writes_take_json_only(client_for, author, fmt):
    """A form could not carry every character of a post and would drop empty fields."""
    client = client_for(author)
    body = {"title": "Form post", "body": "text"}
    if fmt == "form":
        response = client.post(
            "/api/v1/posts/", urlencode(body), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/api/v1/posts/", body, format="multipart")

    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"
    assert not Post.objects.filter(title="Form post").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "no title"},
        {"title": "", "body": "x"},
        {"title": "no body"},
        {"title": "x", "body": "   "},
        {"title": "x" * 201, "body": "x"},
        {"title": "x", "body": "x", "tags": "not-a-list"},
        {"title": "x", "body": "x", "tags": [""]},
        {"title": "x", "body": "x", "tags": ["t" * 65]},
        # Longer than the limit as sent, within it once trimmed (found by the fuzzer).
        {"title": "x", "body": "x", "tags": ["\t" + "t" * 64]},
        {"title": " " + "x" * 200, "body": "x"},
        {"title": "x", "body": "x", "tags": [f"t{i}" for i in range(21)]},
    ],
)
def test_create_with_bad_input_is_400(client_for, author, payload):
    response = client_for(author).post("/api/v1/posts/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


def test_bad_tags_are_reported_on_tags_naming_the_item(client_for, author):
    body = {"title": "x", "body": "y", "tags": ["fine", 1, ""]}

    response = client_for(author).post("/api/v1/posts/", body, format="json")

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert {(error["attr"], error["code"]) for error in errors} == {
        ("tags", "invalid"),
        ("tags", "blank"),
    }
    assert sorted(error["detail"][:6] for error in errors) == ["Item 1", "Item 2"]


def test_every_tag_error_code_is_documented_on_tags(client_for, author):
    """What the schema names for `tags` covers what a tag item can fail with."""
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    documented = set(schema["PostsCreateTagsErrorComponent"]["properties"]["code"]["enum"])
    client = client_for(author)
    codes = set()
    for tag in (1, "", None, "t" * 65, "a\x00b"):
        response = client.post(
            "/api/v1/posts/", {"title": "x", "body": "y", "tags": [tag]}, format="json"
        )
        codes |= {error["code"] for error in response.json()["errors"]}

    assert codes <= documented
    assert {"invalid", "blank", "null", "max_length", "null_characters_not_allowed"} <= codes


def test_unknown_post_is_404(api_client):
    response = api_client.get("/api/v1/posts/nope/")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_author_patches_fields_and_tags(client_for, author, post):
    response = client_for(author).patch(
        "/api/v1/posts/blue-train/", {"description": "Coltrane, 1957", "tags": []}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "Coltrane, 1957"
    assert body["tags"] == []
    assert body["title"] == "Blue Train"
    assert body["slug"] == "blue-train"


def test_patch_without_tags_keeps_them(client_for, author, post):
    body = (
        client_for(author).patch("/api/v1/posts/blue-train/", {"body": "new"}, format="json").json()
    )
    assert body["tags"] == ["bop", "jazz"]
    assert body["body"] == "new"


def test_new_title_moves_the_slug(client_for, author, post):
    response = client_for(author).patch(
        "/api/v1/posts/blue-train/", {"title": "Lush Life"}, format="json"
    )
    assert response.json()["slug"] == "lush-life"
    assert client_for(author).get("/api/v1/posts/blue-train/").status_code == 404


def test_put_needs_the_required_fields(client_for, author, post):
    client = client_for(author)
    assert client.put("/api/v1/posts/blue-train/", {"title": "x"}, format="json").status_code == 400
    response = client.put(
        "/api/v1/posts/blue-train/", {"title": "Blue Train", "body": "all new"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["body"] == "all new"


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_someone_elses_post_is_403_on_write(client_for, post, method):
    response = getattr(client_for(UserFactory()), method)(
        "/api/v1/posts/blue-train/", {"title": "Mine now", "body": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).title == "Blue Train"


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_anonymous_write_is_401(api_client, post, method):
    response = getattr(api_client, method)("/api/v1/posts/blue-train/", {}, format="json")
    assert response.status_code == 401


def test_staff_may_edit_and_delete_anyones_post(client_for, post):
    staff = UserFactory(is_staff=True)
    client = client_for(staff)
    assert (
        client.patch("/api/v1/posts/blue-train/", {"body": "moderated"}, format="json").status_code
        == 200
    )
    assert client.delete("/api/v1/posts/blue-train/").status_code == 204


def test_author_deletes_and_the_post_is_gone(client_for, author, post):
    client = client_for(author)
    assert client.delete("/api/v1/posts/blue-train/").status_code == 204
    assert client.get("/api/v1/posts/blue-train/").status_code == 404
    assert client.delete("/api/v1/posts/blue-train/").status_code == 404


def test_html_in_the_body_is_returned_as_written_not_rendered(client_for, author):
    body = "<script>alert(1)</script> **bold**"
    created = client_for(author).post(
        "/api/v1/posts/", {"title": "Raw", "body": body}, format="json"
    )
    assert created.json()["body"] == body
    assert created.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_list_query_count_does_not_grow_with_page_size(
    api_client, client_for, django_assert_num_queries, viewer
):
    for index in range(12):
        author = UserFactory()
        post = PostFactory(author=author, tags=[f"t{index}", "common"])
        FavoriteFactory(post=post)
    client = api_client if viewer == "anonymous" else client_for(UserFactory())
    # count, page of posts (author joined, caller's view annotated), tags of the page
    for size in (2, 10):
        with django_assert_num_queries(3):
            response = client.get(f"/api/v1/posts/?page_size={size}&tag=common")
        assert len(response.json()["results"]) == size

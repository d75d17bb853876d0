"""The Conduit error format stays inside the adapter, and the schema documents it."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from .conftest import API

pytestmark = pytest.mark.django_db


def test_native_api_keeps_the_standard_error_format(api_client):
    body = api_client.get("/api/v1/posts/unknown/").json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "not_found"


def test_conduit_method_not_allowed_is_in_the_conduit_format(api_client):
    response = api_client.patch(f"{API}/tags", {}, format="json")
    assert response.status_code == 405
    assert response.json() == {"errors": {"method": ["is not allowed"]}}


def test_conduit_answers_json_only(api_client):
    response = api_client.get(f"{API}/tags", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["request"]


@pytest.mark.parametrize("path", ["nope", "articles/", "users/login/", "articles/a/b/c"])
def test_unknown_conduit_paths_are_404_in_the_conduit_format(api_client, path):
    for method in ("get", "post", "delete"):
        response = getattr(api_client, method)(f"{API}/{path}")
        assert response.status_code == 404
        assert response.json() == {"errors": {"resource": ["not found"]}}


def test_conduit_refuses_form_bodies(jake_client):
    response = jake_client.post(f"{API}/articles", {"article": "x"}, format="multipart")
    assert response.status_code == 415
    assert list(response.json()) == ["errors"]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_conduit_operation_is_tagged_conduit(schema):
    conduit = {p: ops for p, ops in schema["paths"].items() if p.startswith("/conduit/api/")}
    operations = {
        ops[method]["operationId"]
        for ops in conduit.values()
        for method in ("get", "post", "put", "delete")
        if method in ops
    }
    assert operations == {
        "Login",
        "CreateUser",
        "GetCurrentUser",
        "UpdateCurrentUser",
        "GetProfileByUsername",
        "FollowUserByUsername",
        "UnfollowUserByUsername",
        "GetArticlesFeed",
        "GetArticles",
        "CreateArticle",
        "GetArticle",
        "UpdateArticle",
        "DeleteArticle",
        "GetArticleComments",
        "CreateArticleComment",
        "DeleteArticleComment",
        "CreateArticleFavorite",
        "DeleteArticleFavorite",
        "GetTags",
    }
    assert not [path for path in conduit if path.endswith("/")]
    for ops in conduit.values():
        for method, operation in ops.items():
            if method in ("get", "post", "put", "delete"):
                assert operation["tags"] == ["Conduit"]


def test_conduit_errors_are_documented_in_the_conduit_shape(schema):
    update = schema["paths"]["/conduit/api/articles/{slug}"]["put"]["responses"]
    for status in ("401", "403", "404", "422"):
        ref = update[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ConduitGenericError")


def test_every_conduit_operation_documents_its_rate_limit(schema):
    """Every Conduit view is throttled (the caller's limit, and registration's own), so
    every operation may answer 429, in the Conduit error shape."""
    for path, ops in schema["paths"].items():
        if not path.startswith("/conduit/api/"):
            continue
        for method, operation in ops.items():
            if method in ("get", "post", "put", "delete"):
                too_many = operation["responses"].get("429")
                assert too_many, f"{method.upper()} {path} does not document 429"
                ref = too_many["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ConduitGenericError")


def test_journal_operations_are_tagged_journal(schema):
    journal = [p for p in schema["paths"] if p.startswith(("/api/v1/posts/", "/api/v1/feed/"))]
    assert journal
    for path in journal:
        for method, operation in schema["paths"][path].items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert operation["tags"] == ["Journal"]

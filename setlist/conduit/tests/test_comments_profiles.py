"""Comments and profiles, as RealWorld clients see them."""

import re

import pytest

from setlist.accounts.tests.factories import UserFactory
from setlist.journal import services
from setlist.journal.models import Comment, Follow
from setlist.journal.tests.factories import CommentFactory, FollowFactory

from .conftest import API

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@pytest.fixture
def article(jake):
    return services.post_create(author=jake, title="Dragons", description="d", body="b")


# --- Comments ---------------------------------------------------------------------------


def test_create_comment_is_201(token_client, article):
    reader = UserFactory(username="reader")
    response = token_client(reader).post(
        f"{API}/articles/dragons/comments",
        {"comment": {"body": "Thank you so much!"}},
        format="json",
    )
    assert response.status_code == 201
    comment = response.json()["comment"]
    assert set(comment) == {"id", "createdAt", "updatedAt", "body", "author"}
    assert comment["body"] == "Thank you so much!"
    assert TIMESTAMP.match(comment["createdAt"])
    assert comment["author"] == {
        "username": "reader",
        "bio": None,
        "image": None,
        "following": False,
    }


def test_list_comments_with_and_without_token(api_client, token_client, jake, article):
    reader = UserFactory()
    FollowFactory(follower=reader, followee=jake)
    CommentFactory(post=article, author=jake, body="first")
    CommentFactory(post=article, body="second")
    anonymous = api_client.get(f"{API}/articles/dragons/comments").json()["comments"]
    assert [c["body"] for c in anonymous] == ["first", "second"]
    assert anonymous[0]["author"]["following"] is False
    signed_in = token_client(reader).get(f"{API}/articles/dragons/comments").json()["comments"]
    assert signed_in[0]["author"]["following"] is True


@pytest.mark.parametrize("body", [{"comment": {"body": ""}}, {"comment": {}}, {}])
def test_blank_comment_is_422(jake_client, article, body):
    response = jake_client.post(f"{API}/articles/dragons/comments", body, format="json")
    assert response.status_code == 422
    assert list(response.json()["errors"].values()) == [["can't be blank"]]


def test_comments_of_unknown_article_are_404(api_client, jake_client):
    assert api_client.get(f"{API}/articles/nope/comments").json() == {
        "errors": {"article": ["not found"]}
    }
    response = jake_client.post(
        f"{API}/articles/nope/comments", {"comment": {"body": "x"}}, format="json"
    )
    assert response.status_code == 404


def test_create_comment_without_token_is_401(api_client, article):
    response = api_client.post(
        f"{API}/articles/dragons/comments", {"comment": {"body": "x"}}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


def test_delete_own_comment_leaves_the_others(token_client, article):
    reader = UserFactory()
    mine = CommentFactory(post=article, author=reader)
    other = CommentFactory(post=article)
    assert (
        token_client(reader).delete(f"{API}/articles/dragons/comments/{mine.pk}").status_code == 204
    )
    assert list(Comment.objects.values_list("pk", flat=True)) == [other.pk]


def test_article_author_deletes_any_comment_on_it(jake_client, article):
    comment = CommentFactory(post=article)
    assert jake_client.delete(f"{API}/articles/dragons/comments/{comment.pk}").status_code == 204


def test_delete_someone_elses_comment_is_403(token_client, article):
    comment = CommentFactory(post=article)
    response = token_client(UserFactory()).delete(f"{API}/articles/dragons/comments/{comment.pk}")
    assert response.status_code == 403
    assert response.json() == {"errors": {"comment": ["forbidden"]}}


@pytest.mark.parametrize("comment_id", ["999999", "abc", "99999999999999999999999"])
def test_delete_unknown_comment_is_404(jake_client, article, comment_id):
    response = jake_client.delete(f"{API}/articles/dragons/comments/{comment_id}")
    assert response.status_code == 404
    assert response.json() == {"errors": {"comment": ["not found"]}}


def test_delete_a_comment_through_another_article_is_404(jake_client, jake, article):
    elsewhere = CommentFactory(author=jake)
    response = jake_client.delete(f"{API}/articles/dragons/comments/{elsewhere.pk}")
    assert response.status_code == 404


def test_delete_comment_without_token_is_401(api_client, article):
    response = api_client.delete(f"{API}/articles/dragons/comments/1")
    assert response.status_code == 401


def test_comment_list_query_count_does_not_grow(api_client, article, django_assert_num_queries):
    for _ in range(3):
        CommentFactory(post=article)
    with django_assert_num_queries(2):  # the article, the comments with their authors
        assert len(api_client.get(f"{API}/articles/dragons/comments").json()["comments"]) == 3
    for _ in range(7):
        CommentFactory(post=article)
    with django_assert_num_queries(2):
        assert len(api_client.get(f"{API}/articles/dragons/comments").json()["comments"]) == 10


# --- Profiles ---------------------------------------------------------------------------


def test_profile_anonymous(api_client, jake):
    response = api_client.get(f"{API}/profiles/jake")
    assert response.status_code == 200
    assert response.json() == {
        "profile": {
            "username": "jake",
            "bio": "I work at statefarm",
            "image": None,
            "following": False,
        }
    }


def test_profile_empty_bio_reads_null(api_client):
    UserFactory(username="blank", bio="")
    assert api_client.get(f"{API}/profiles/blank").json()["profile"]["bio"] is None


def test_unknown_profile_is_404(api_client):
    response = api_client.get(f"{API}/profiles/nobody")
    assert response.status_code == 404
    assert response.json() == {"errors": {"profile": ["not found"]}}


def test_follow_and_unfollow_are_idempotent(token_client, jake):
    client = token_client(UserFactory())
    for _ in range(2):
        response = client.post(f"{API}/profiles/jake/follow")
        assert response.status_code == 200
        assert response.json()["profile"]["following"] is True
    assert client.get(f"{API}/profiles/jake").json()["profile"]["following"] is True
    for _ in range(2):
        response = client.delete(f"{API}/profiles/jake/follow")
        assert response.status_code == 200
        assert response.json()["profile"]["following"] is False
    assert not Follow.objects.exists()


def test_follow_yourself_is_422(jake_client):
    response = jake_client.post(f"{API}/profiles/jake/follow")
    assert response.status_code == 422
    assert response.json() == {"errors": {"username": ["can't follow yourself"]}}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_follow_unknown_is_404_and_anonymous_401(jake_client, api_client, jake, method):
    response = getattr(jake_client, method)(f"{API}/profiles/nobody/follow")
    assert response.status_code == 404
    assert response.json() == {"errors": {"profile": ["not found"]}}
    response = getattr(api_client, method)(f"{API}/profiles/jake/follow")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}

"""Journal rules, called directly: slugs, tags, counters and account deletion."""

import pytest
from django.core.exceptions import ValidationError

from setlist.accounts import services as accounts
from setlist.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from setlist.journal import services
from setlist.journal.models import Favorite, Follow, Post, Tag
from setlist.journal.slugs import slug_base

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("Mötley Crüe live", "motley-crue-live"),
        ("日本語", "post"),
        ("  --  ", "post"),
        ("Feed", "feed-post"),
        ("x" * 300, "x" * 200),
    ],
)
def test_slug_base(title, slug):
    assert slug_base(title) == slug


def test_posts_with_one_title_get_distinct_slugs(user):
    slugs = {services.post_create(author=user, title="Same Title", body="b").slug for _ in range(5)}
    assert len(slugs) == 5
    assert "same-title" in slugs


def test_create_cleans_tags_and_reuses_existing_ones(user):
    Tag.objects.create(name="jazz")
    post = services.post_create(author=user, title="T", body="b", tags=[" jazz", "bop", "jazz"])
    assert sorted(post.tags.values_list("name", flat=True)) == ["bop", "jazz"]
    assert Tag.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"title": " ", "body": "b"}, "title", "blank"),
        ({"title": "t", "body": "\n"}, "body", "blank"),
        ({"title": "t" * 201, "body": "b"}, "title", "max_length"),
        ({"title": "t", "body": "b", "description": "d" * 501}, "description", "max_length"),
        ({"title": "t", "body": "b", "tags": ["ok", " "]}, "tags", "blank"),
    ],
)
def test_create_refuses_bad_fields(user, fields, field, code):
    with pytest.raises(ValidationError) as caught:
        services.post_create(author=user, **fields)
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert not Post.objects.exists()


def test_update_changes_only_what_is_given(user):
    post = services.post_create(author=user, title="Old", body="b", description="d", tags=["a"])
    services.post_update(post=post, body="new body")
    post.refresh_from_db()
    assert (post.title, post.description, post.body, post.slug) == ("Old", "d", "new body", "old")
    assert list(post.tags.values_list("name", flat=True)) == ["a"]
    services.post_update(post=post, tags=[])
    assert not post.tags.exists()


def test_update_with_a_title_that_slugs_the_same_keeps_the_slug(user):
    post = services.post_create(author=user, title="Same", body="b")
    services.post_create(author=user, title="Renamed", body="b")  # takes "renamed"
    services.post_update(post=post, title="SAME!")
    assert post.slug == "same"
    services.post_update(post=post, title="Renamed")
    assert post.slug.startswith("renamed-")


def test_update_never_writes_back_a_stale_favorite_count(user):
    post = services.post_create(author=user, title="T", body="b")
    stale = Post.objects.get(pk=post.pk)
    services.favorite_add(user=UserFactory(), post=post)
    services.post_update(post=stale, title="New title", body="x")
    assert Post.objects.get(pk=post.pk).favorite_count == 1


def test_favorite_counter_moves_only_when_a_row_changes(user, post):
    assert services.favorite_add(user=user, post=post) is True
    assert services.favorite_add(user=user, post=post) is False
    assert Post.objects.get(pk=post.pk).favorite_count == 1
    assert services.favorite_remove(user=user, post=post) is True
    assert services.favorite_remove(user=user, post=post) is False
    assert Post.objects.get(pk=post.pk).favorite_count == 0


def test_follow_rules(user, other_user):
    assert services.follow_add(follower=user, followee=other_user) is True
    assert services.follow_add(follower=user, followee=other_user) is False
    with pytest.raises(ValidationError) as caught:
        services.follow_add(follower=user, followee=user)
    assert caught.value.error_dict["username"][0].code == "self_follow"
    assert services.follow_remove(follower=user, followee=other_user) is True
    assert services.follow_remove(follower=user, followee=other_user) is False


def test_database_refuses_a_self_follow(user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=user, followee=user)


def test_deleting_an_account_withdraws_its_favourites_from_the_counts(author, post):
    leaving = UserFactory()
    staying = UserFactory()
    services.favorite_add(user=leaving, post=post)
    services.favorite_add(user=staying, post=post)
    own = services.post_create(author=leaving, title="Mine", body="b")
    CommentFactory(post=post, author=leaving)
    accounts.user_delete(user=leaving, current_password=DEFAULT_PASSWORD)
    assert Post.objects.get(pk=post.pk).favorite_count == 1
    assert not Post.objects.filter(pk=own.pk).exists()  # an account's posts go with it
    assert Favorite.objects.filter(user=staying).count() == 1
    assert post.comments.count() == 0


def test_deleting_a_post_takes_its_comments_and_favourites(user, post):
    services.favorite_add(user=user, post=post)
    CommentFactory(post=post)
    services.post_delete(post=post)
    assert not Favorite.objects.exists()
    assert not Post.objects.exists()

"""Favourites, follows and slugs under real concurrency (PostgreSQL row locks, threads)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from setlist.accounts.tests.factories import UserFactory
from setlist.journal import services
from setlist.journal.models import Favorite, Follow, Post

from .factories import PostFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so no two requests ever race",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 12


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Run each call in its own thread, all released at once; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported to the test, which fails on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def test_concurrent_favourites_by_many_members_are_all_counted():
    post = PostFactory()
    fans = UserFactory.create_batch(THREADS)
    run_together([lambda fan=fan: services.favorite_add(user=fan, post=post) for fan in fans])
    post.refresh_from_db()
    assert post.favorite_count == THREADS == Favorite.objects.filter(post=post).count()


def test_concurrent_favourites_by_one_member_count_once():
    post = PostFactory()
    fan = UserFactory()
    created = run_together([lambda: services.favorite_add(user=fan, post=post)] * THREADS)
    post.refresh_from_db()
    assert created.count(True) == 1
    assert post.favorite_count == 1 == Favorite.objects.count()


def test_concurrent_unfavourites_by_one_member_count_once():
    post = PostFactory()
    fan, other = UserFactory.create_batch(2)
    services.favorite_add(user=fan, post=post)
    services.favorite_add(user=other, post=post)
    removed = run_together([lambda: services.favorite_remove(user=fan, post=post)] * THREADS)
    post.refresh_from_db()
    assert removed.count(True) == 1
    assert post.favorite_count == 1


def test_concurrent_favourite_and_unfavourite_by_many_leave_an_exact_count():
    post = PostFactory()
    leaving = UserFactory.create_batch(THREADS // 2)
    arriving = UserFactory.create_batch(THREADS // 2)
    for fan in leaving:
        services.favorite_add(user=fan, post=post)
    run_together(
        [lambda fan=fan: services.favorite_remove(user=fan, post=post) for fan in leaving]
        + [lambda fan=fan: services.favorite_add(user=fan, post=post) for fan in arriving]
    )
    post.refresh_from_db()
    assert post.favorite_count == len(arriving) == Favorite.objects.count()


def test_concurrent_posts_with_one_title_get_distinct_slugs():
    author = UserFactory()
    posts = run_together(
        [lambda: services.post_create(author=author, title="Same Title", body="b")] * THREADS
    )
    slugs = {post.slug for post in posts}
    assert len(slugs) == THREADS == Post.objects.count()
    assert "same-title" in slugs


def test_concurrent_follows_make_one_row():
    follower, followee = UserFactory.create_batch(2)
    created = run_together(
        [lambda: services.follow_add(follower=follower, followee=followee)] * THREADS
    )
    assert created.count(True) == 1
    assert Follow.objects.count() == 1

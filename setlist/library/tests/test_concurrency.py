"""Bursts of concurrent requests leave exact counts and gapless positions (PostgreSQL).

Real threads, each with its own database connection, released together by a barrier and
going through the whole HTTP stack. SQLite serialises writers with a file lock, so these
races cannot happen there; they run against PostgreSQL in CI.
"""

import random
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from setlist.accounts.signals import user_deleting
from setlist.catalog.models import Song
from setlist.library import services
from setlist.library.models import Play, Playlist, PlaylistEntry, SongLike

from .factories import SongFactory, UserFactory, playlist_with_songs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions and row locks; SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    rates = {scope: "1000000/min" for scope in ("anon", "user", "plays")}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def run_together(tasks: list[Callable[[], object]]) -> list:
    """Run each task in its own thread, all released at once; return their results."""
    barrier = threading.Barrier(len(tasks))
    results: list = [None] * len(tasks)
    errors: list[BaseException] = []

    def run(index: int, task: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = task()
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_gapless(playlist: Playlist) -> list[int]:
    positions = list(
        PlaylistEntry.objects.filter(playlist=playlist)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == list(range(len(positions)))
    owner = client_for(playlist.owner)
    detail = owner.get(f"/api/v1/playlists/{playlist.pk}/").json()
    assert detail["song_count"] == len(positions)
    listed = owner.get(f"/api/v1/playlists/{playlist.pk}/songs/?page_size=100").json()
    assert [item["position"] for item in listed["results"]] == list(range(len(positions)))
    return positions


# --- Likes ---------------------------------------------------------------------------------


def test_twenty_concurrent_puts_of_one_like_leave_one_like():
    user, song = UserFactory(), SongFactory()
    clients = [client_for(user) for _ in range(THREADS)]

    statuses = run_together(
        [lambda c=c: c.put(f"/api/v1/me/likes/{song.pk}/").status_code for c in clients]
    )

    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert SongLike.objects.filter(user=user, song=song).count() == 1
    assert Song.objects.get(pk=song.pk).like_count == 1


def test_a_hundred_users_liking_one_song_at_once_count_a_hundred():
    song = SongFactory()
    users = UserFactory.create_batch(100)
    groups = [users[index::25] for index in range(25)]  # 25 connections, 4 users each

    def like_all(group) -> list[int]:
        return [client_for(u).put(f"/api/v1/me/likes/{song.pk}/").status_code for u in group]

    statuses = run_together([lambda g=g: like_all(g) for g in groups])

    assert Counter(s for batch in statuses for s in batch) == {201: 100}
    assert Song.objects.get(pk=song.pk).like_count == 100

    run_together(
        [
            lambda g=g: [client_for(u).delete(f"/api/v1/me/likes/{song.pk}/") for u in g]
            for g in groups
        ]
    )
    assert Song.objects.get(pk=song.pk).like_count == 0
    assert not SongLike.objects.exists()


def test_racing_likes_and_unlikes_keep_the_count_equal_to_the_rows():
    user, song = UserFactory(), SongFactory()
    url = f"/api/v1/me/likes/{song.pk}/"

    def toggle(index: int) -> None:
        client = client_for(user)
        for step in range(5):
            if (index + step) % 2:
                client.put(url)
            else:
                client.delete(url)

    run_together([lambda i=i: toggle(i) for i in range(THREADS)])

    rows = SongLike.objects.filter(song=song).count()
    assert rows in (0, 1)
    assert Song.objects.get(pk=song.pk).like_count == rows


def test_a_put_that_waited_for_a_like_committed_then_removed_likes_again():
    """A like committed while a PUT waits for the song's lock is not in the PUT's snapshot:
    the PUT reads it in a second statement. Removed in between, the PUT likes again."""
    user, song = UserFactory(), SongFactory()
    outcome: list = []
    unliked: list = []

    def unlike_after_the_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "like" in sql and not unliked:  # the like's statement (prepared or not)
            unliked.append(None)  # once: the unlike's own statement comes through here too
            unliked[0] = services.song_like_remove(user=user, song_id=song.pk)
        return result

    def put_like() -> None:
        try:
            with connection.execute_wrapper(unlike_after_the_insert):
                outcome.append(services.song_like_add(user=user, song=song)[1])
        except BaseException as exc:  # surfaced in the test thread below
            outcome.append(exc)
        finally:
            connection.close()

    waiting = threading.Thread(target=put_like)
    with transaction.atomic():
        services.song_like_add(user=user, song=song)  # holds the song's lock until commit
        waiting.start()
        _wait_for_a_blocked_backend()
    waiting.join(timeout=30)

    assert (unliked, outcome) == ([True], [True])  # removed, then made again by the PUT
    assert SongLike.objects.filter(user=user, song=song).count() == 1
    assert Song.objects.get(pk=song.pk).like_count == 1


def _wait_for_a_blocked_backend() -> None:
    """Until another session waits for a lock this one holds (pg_locks is never cached)."""
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.01)
    raise AssertionError("the PUT never waited for the song's lock")


def test_account_deletion_racing_with_other_likes_keeps_counts_exact():
    doomed, others = UserFactory(), UserFactory.create_batch(THREADS - 1)
    songs = SongFactory.create_batch(5)
    for song in songs:
        client_for(doomed).put(f"/api/v1/me/likes/{song.pk}/")

    def delete_account() -> None:
        from django.db import transaction

        with transaction.atomic():
            user_deleting.send(sender=type(doomed), user=doomed)
            doomed.delete()

    def like_all(user) -> None:
        client = client_for(user)
        for song in songs:
            client.put(f"/api/v1/me/likes/{song.pk}/")

    run_together([delete_account] + [lambda u=u: like_all(u) for u in others])

    for song in Song.objects.filter(pk__in=[s.pk for s in songs]):
        assert song.like_count == SongLike.objects.filter(song=song).count() == len(others)


# --- Plays ---------------------------------------------------------------------------------


def test_concurrent_plays_each_count_exactly_once():
    song = SongFactory()
    users = [None, *UserFactory.create_batch(THREADS - 1)]  # one anonymous listener too

    def play_five(user) -> list[int]:
        client = client_for(user)
        return [client.post(f"/api/v1/songs/{song.pk}/plays/").status_code for _ in range(5)]

    statuses = run_together([lambda u=u: play_five(u) for u in users])

    assert Counter(s for batch in statuses for s in batch) == {201: THREADS * 5}
    assert Song.objects.get(pk=song.pk).num_streams == THREADS * 5
    assert Play.objects.filter(song=song).count() == THREADS * 5


# --- Playlists -----------------------------------------------------------------------------


def test_concurrent_inserts_keep_positions_gapless():
    owner = UserFactory()
    songs = SongFactory.create_batch(THREADS)
    playlist = playlist_with_songs(songs[:3], owner=owner)
    url = f"/api/v1/playlists/{playlist.pk}/songs/"

    def add(index: int) -> list[int]:
        client = client_for(owner)
        position = {0: 0, 1: 1, 2: None}[index % 3]
        body = {"song_id": songs[index].pk}
        if position is not None:
            body["position"] = position
        return [client.post(url, body).status_code for _ in range(3)]

    statuses = run_together([lambda i=i: add(i) for i in range(THREADS)])

    assert Counter(s for batch in statuses for s in batch) == {201: THREADS * 3}
    assert len(assert_gapless(playlist)) == 3 + THREADS * 3
    assert Playlist.objects.get(pk=playlist.pk).version == 1 + THREADS * 3
    added = Counter(PlaylistEntry.objects.filter(playlist=playlist).values_list("song", flat=True))
    assert all(added[song.pk] == 3 + (index < 3) for index, song in enumerate(songs))


def test_concurrent_removes_keep_positions_gapless():
    owner = UserFactory()
    playlist = playlist_with_songs(SongFactory.create_batch(80), owner=owner)

    def remove(index: int) -> list[int]:
        client = client_for(owner)
        return [
            client.delete(
                f"/api/v1/playlists/{playlist.pk}/songs/{(index * 7 + step) % 5}/"
            ).status_code
            for step in range(3)
        ]

    statuses = Counter(
        s for batch in run_together([lambda i=i: remove(i) for i in range(THREADS)]) for s in batch
    )

    assert statuses == {204: THREADS * 3}
    assert len(assert_gapless(playlist)) == 80 - THREADS * 3
    assert Playlist.objects.get(pk=playlist.pk).version == 1 + THREADS * 3


def test_a_random_mix_of_concurrent_edits_keeps_positions_and_counts_exact():
    owner = UserFactory()
    songs = SongFactory.create_batch(10)
    playlist = playlist_with_songs(songs, owner=owner)
    base = f"/api/v1/playlists/{playlist.pk}/songs/"

    def edit(seed: int) -> Counter:
        rng = random.Random(seed)
        client = client_for(owner)
        done: Counter = Counter()
        for _ in range(6):
            kind = rng.choice(["add", "remove", "move"])
            if kind == "add":
                body = {"song_id": rng.choice(songs).pk, "position": rng.randint(0, 3)}
                response = client.post(base, body)
            elif kind == "remove":
                response = client.delete(f"{base}{rng.randint(0, 8)}/")
            else:
                source = rng.randint(0, 8)
                target = (source + rng.randint(1, 4)) % 9
                response = client.post(
                    f"{base}move/", {"from_position": source, "to_position": target}
                )
            done[(kind, response.status_code)] += 1
        return done

    results = run_together([lambda s=s: edit(s) for s in range(THREADS)])
    done = sum(results, Counter())

    assert set(done) <= {
        ("add", 201),
        ("add", 400),  # removes ran first and the position is past the end now (documented)
        ("remove", 204),
        ("remove", 404),
        ("move", 200),
        ("move", 400),
    }
    expected_count = 10 + done[("add", 201)] - done[("remove", 204)]
    assert len(assert_gapless(playlist)) == expected_count
    edits = done[("add", 201)] + done[("remove", 204)] + done[("move", 200)]
    assert Playlist.objects.get(pk=playlist.pk).version == 1 + edits


def test_of_racing_edits_with_one_if_match_exactly_one_wins():
    owner = UserFactory()
    playlist = playlist_with_songs(SongFactory.create_batch(5), owner=owner)
    url = f"/api/v1/playlists/{playlist.pk}/songs/move/"

    def move() -> int:
        body = {"from_position": 0, "to_position": 4}
        return client_for(owner).post(url, body, HTTP_IF_MATCH='"1"').status_code

    statuses = run_together([move for _ in range(THREADS)])

    assert Counter(statuses) == {200: 1, 412: THREADS - 1}
    assert Playlist.objects.get(pk=playlist.pk).version == 2

"""Every bench run starts from the same listener and a writer with nothing written, so
that a run's reads do not depend on the runs before it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench import scenarios
from setlist.catalog.models import Song
from setlist.library import services
from setlist.library.models import Play, SongLike
from setlist.library.tests.factories import AlbumFactory, SongFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the bench runs on PostgreSQL (raw SQL)"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def small(monkeypatch, tmp_path):
    monkeypatch.setattr(scenarios, "BENCH_USER_LIKES", 6)
    monkeypatch.setattr(scenarios, "BENCH_USER_PLAYS", 9)
    monkeypatch.setattr(scenarios, "WORK", tmp_path)
    album = AlbumFactory(is_published=True)
    return SongFactory.create_batch(8, album=album)


def _counters_match_rows():
    likes = dict(SongLike.objects.values_list("song").annotate(n=Count("id")))
    plays = dict(Play.objects.values_list("song").annotate(n=Count("id")))
    for song in Song.objects.all():
        assert song.like_count == likes.get(song.pk, 0)
        assert song.num_streams == plays.get(song.pk, 0)


def test_a_run_starts_from_the_same_listener_and_a_writer_with_nothing(small):
    fixture = scenarios.prepare("listener", "writer", "pw-1234567")
    listener = get_user_model().objects.get(pk=fixture["user_id"])
    writer = get_user_model().objects.get(username="writer")
    first_history = Play.objects.filter(user=listener).count()

    # What a run leaves behind: the writer's likes and plays, and (before the writer
    # existed) plays of the listener's own.
    for song in small[:3]:
        services.song_like_add(user=writer, song=song)
        services.play_record(song_id=song.pk, user=writer)
        services.play_record(song_id=song.pk, user=listener)
    Play.objects.filter(user=listener).update(played_at=timezone.now() - timedelta(days=40))

    scenarios.prepare("listener", "writer", "pw-1234567")

    assert first_history == 9
    assert Play.objects.filter(user=listener).count() == 9
    newest = Play.objects.filter(user=listener).latest("played_at").played_at
    assert timezone.now() - newest < timedelta(minutes=1)
    assert not SongLike.objects.filter(user=writer).exists()
    assert not Play.objects.filter(user=writer).exists()
    assert SongLike.objects.filter(user=listener).count() == 6
    ids = [int(line) for line in Path(fixture["ids_file"]).read_text().split()]
    assert set(ids) == set(SongLike.objects.filter(user=listener).values_list("song", flat=True))
    _counters_match_rows()

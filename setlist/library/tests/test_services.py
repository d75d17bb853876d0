"""Rules of the library's services, called directly."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setlist.accounts.signals import user_deleting
from setlist.catalog import caching
from setlist.catalog.models import Album, Artist, Song
from setlist.library import selectors, services
from setlist.library.models import (
    AlbumLike,
    ArtistLike,
    Play,
    Playlist,
    PlaylistEntry,
    SongLike,
)

from .factories import AlbumFactory, ArtistFactory, PlaylistFactory, SongFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Likes ---------------------------------------------------------------------------------


def test_song_like_add_counts_only_a_new_like(user):
    song = SongFactory()

    first = services.song_like_add(user=user, song=song)
    second = services.song_like_add(user=user, song=song)

    assert (first[1], second[1]) == (True, False)
    assert first[0].pk == second[0].pk
    assert Song.objects.get(pk=song.pk).like_count == 1


def test_song_like_remove_counts_only_an_existing_like(user):
    song = SongFactory()
    services.song_like_add(user=user, song=song)

    assert services.song_like_remove(user=user, song_id=song.pk) is True
    assert services.song_like_remove(user=user, song_id=song.pk) is False
    assert Song.objects.get(pk=song.pk).like_count == 0


def test_a_like_returns_the_row_as_stored(user):
    song = SongFactory()

    like, created = services.song_like_add(user=user, song=song)

    stored = SongLike.objects.get(user=user, song=song)
    assert created is True
    assert (like.pk, like.created_at, like.song_id, like.user_id) == (
        stored.pk,
        stored.created_at,
        song.pk,
        user.pk,
    )


def test_liking_an_item_deleted_after_it_was_found_raises_item_gone(user):
    song, album, artist = SongFactory(), AlbumFactory(), ArtistFactory()
    for item in (song, album, artist):
        type(item).objects.filter(pk=item.pk).delete()

    with pytest.raises(services.ItemGone):
        services.song_like_add(user=user, song=song)
    with pytest.raises(services.ItemGone):
        services.album_like_add(user=user, album=album)
    with pytest.raises(services.ItemGone):
        services.artist_like_add(user=user, artist=artist)

    assert not SongLike.objects.filter(user=user).exists()
    assert not AlbumLike.objects.filter(user=user).exists()
    assert not ArtistLike.objects.filter(user=user).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_on_postgresql_a_like_and_an_unlike_are_one_statement_each(user, django_assert_num_queries):
    song = SongFactory()

    with django_assert_num_queries(1):
        services.song_like_add(user=user, song=song)
    with django_assert_num_queries(1):  # it exists: the statement reads it too
        services.song_like_add(user=user, song=song)
    with django_assert_num_queries(1):
        services.song_like_remove(user=user, song_id=song.pk)
    with django_assert_num_queries(1):
        services.song_like_remove(user=user, song_id=song.pk)

    assert Song.objects.get(pk=song.pk).like_count == 0


def test_a_like_reports_the_count_it_left_on_the_item(user, other_user):
    song, album = SongFactory(), AlbumFactory()
    services.song_like_add(user=other_user, song=song)

    services.song_like_add(user=user, song=song)
    again = Song(pk=song.pk)
    services.song_like_add(user=user, song=again)
    services.album_like_add(user=user, album=album)

    assert (song.like_count, again.like_count, album.like_count) == (2, 2, 1)


def test_album_and_artist_likes_move_their_own_counters(user):
    album, artist = AlbumFactory(), ArtistFactory()

    services.album_like_add(user=user, album=album)
    services.album_like_add(user=user, album=album)
    services.artist_like_add(user=user, artist=artist)
    services.artist_like_remove(user=user, artist_id=artist.pk)

    assert Album.objects.get(pk=album.pk).like_count == 1
    assert Artist.objects.get(pk=artist.pk).like_count == 0


def test_a_like_inside_a_failed_transaction_leaves_no_count(user):
    song = SongFactory()

    def like_then_fail() -> None:
        with transaction.atomic():
            services.song_like_add(user=user, song=song)
            raise RuntimeError("the caller failed after liking")

    with pytest.raises(RuntimeError):
        like_then_fail()

    assert not SongLike.objects.exists()
    assert Song.objects.get(pk=song.pk).like_count == 0


# --- Plays ---------------------------------------------------------------------------------


def test_play_record_counts_one_stream_per_play(user):
    song = SongFactory()

    services.play_record(song_id=song.pk, user=user)
    services.play_record(song_id=song.pk, user=None)

    assert Song.objects.get(pk=song.pk).num_streams == 2
    assert sorted(Play.objects.values_list("user_id", flat=True), key=str) == sorted(
        [user.pk, None], key=str
    )


def test_a_play_of_a_song_the_listener_cannot_see_is_refused_and_not_counted(user):
    hidden = SongFactory(album__is_published=False)
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="view_unpublished"))

    for listener in (user, None):
        with pytest.raises(services.SongGone):
            services.play_record(song_id=hidden.pk, user=listener)
    with pytest.raises(services.SongGone):
        services.play_record(song_id=hidden.pk + 1000, user=editor)
    services.play_record(song_id=hidden.pk, user=get_user_model().objects.get(pk=editor.pk))

    assert list(Play.objects.values_list("user_id", "song_id")) == [(editor.pk, hidden.pk)]
    assert Song.objects.get(pk=hidden.pk).num_streams == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_on_postgresql_a_play_of_a_published_song_is_one_statement(user, django_assert_num_queries):
    song = SongFactory()

    with django_assert_num_queries(1):  # visibility, play and counter
        services.play_record(song_id=song.pk, user=user)
    # No such song: refused by the same statement.
    with django_assert_num_queries(1), pytest.raises(services.SongGone):
        services.play_record(song_id=song.pk + 1000, user=None)

    assert Song.objects.get(pk=song.pk).num_streams == 1


# --- Account deletion ----------------------------------------------------------------------


def _delete_account(user) -> None:
    """What `accounts.services.user_delete` does: signal, then delete, in one transaction."""
    with transaction.atomic():
        user_deleting.send(sender=get_user_model(), user=user)
        user.delete()


def test_deleting_an_account_takes_back_its_likes_and_keeps_streams(user, other_user):
    songs = SongFactory.create_batch(3)
    album, artist = AlbumFactory(), ArtistFactory()
    for song in songs:
        services.song_like_add(user=user, song=song)
        services.play_record(song_id=song.pk, user=user)
    services.song_like_add(user=other_user, song=songs[0])
    services.album_like_add(user=user, album=album)
    services.album_like_add(user=other_user, album=album)
    services.artist_like_add(user=user, artist=artist)
    PlaylistFactory(owner=user)

    _delete_account(user)

    assert [Song.objects.get(pk=song.pk).like_count for song in songs] == [1, 0, 0]
    assert Album.objects.get(pk=album.pk).like_count == 1
    assert Artist.objects.get(pk=artist.pk).like_count == 0
    assert [Song.objects.get(pk=song.pk).num_streams for song in songs] == [1, 1, 1]
    assert not SongLike.objects.filter(user_id=user.pk).exists()
    assert not AlbumLike.objects.filter(user_id=user.pk).exists()
    assert not ArtistLike.objects.filter(user_id=user.pk).exists()
    assert not Play.objects.filter(user_id=user.pk).exists()
    assert not Playlist.objects.filter(owner_id=user.pk).exists()
    assert SongLike.objects.filter(user=other_user).count() == 1


def test_releasing_like_counts_takes_the_same_queries_for_any_number_of_likes(
    user, other_user, django_assert_num_queries
):
    services.song_like_add(user=other_user, song=SongFactory())
    for song in SongFactory.create_batch(20):
        services.song_like_add(user=user, song=song)

    # Per kind (songs, albums, artists): lock the liked rows in id order, one UPDATE;
    # plus the savepoint and its release (the test already runs in a transaction).
    with django_assert_num_queries(8):
        services.user_like_counts_release(user=other_user)
    with django_assert_num_queries(8):
        services.user_like_counts_release(user=user)

    assert set(Song.objects.values_list("like_count", flat=True)) == {0}


# --- Playlists -----------------------------------------------------------------------------


def _order(playlist) -> list[int]:
    return list(
        PlaylistEntry.objects.filter(playlist=playlist)
        .order_by("position")
        .values_list("song_id", flat=True)
    )


def test_playlist_update_bumps_the_version_and_refuses_a_stale_one(user):
    playlist = PlaylistFactory(owner=user)

    updated = services.playlist_update(playlist=playlist, name="Renamed", expected_versions={1})
    with pytest.raises(services.PlaylistChanged) as stale:
        services.playlist_update(playlist=playlist, name="Again", expected_versions={1})

    assert (updated.name, updated.version) == ("Renamed", 2)
    assert stale.value.current_version == 2
    assert Playlist.objects.get(pk=playlist.pk).name == "Renamed"


def test_playlist_song_add_refuses_a_full_playlist(user, monkeypatch):
    monkeypatch.setattr(services.playlists, "MAX_PLAYLIST_ENTRIES", 2)
    song = SongFactory()
    playlist = PlaylistFactory(owner=user)
    services.playlist_song_add(playlist=playlist, user=user, song_id=song.pk)
    services.playlist_song_add(playlist=playlist, user=user, song_id=song.pk)

    with pytest.raises(ValidationError):
        services.playlist_song_add(playlist=playlist, user=user, song_id=song.pk)

    assert _order(playlist) == [song.pk, song.pk]


def test_playlist_song_remove_of_a_missing_position_raises(user):
    playlist = PlaylistFactory(owner=user)

    with pytest.raises(PlaylistEntry.DoesNotExist):
        services.playlist_song_remove(playlist=playlist, user=user, position=0)


def test_playlist_edits_survive_a_gap_left_by_a_deleted_song(user):
    """A song deleted from the catalog takes its entries with it (CASCADE) and may leave a
    gap in the stored positions; edits keep working and keep the order."""
    a, doomed, c = SongFactory.create_batch(3)
    playlist = PlaylistFactory(owner=user)
    for song in (a, doomed, c):
        services.playlist_song_add(playlist=playlist, user=user, song_id=song.pk)
    doomed.delete()

    services.playlist_song_move(playlist=playlist, user=user, from_position=0, to_position=1)
    services.playlist_song_add(playlist=playlist, user=user, song_id=a.pk, position=1)

    assert _order(playlist) == [c.pk, a.pk, a.pk]


# --- Property: any sequence of edits keeps positions 0..n-1 --------------------------------

edit = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 3), st.one_of(st.none(), st.integers(0, 12))),
    st.tuples(st.just("remove"), st.integers(0, 12)),
    st.tuples(st.just("move"), st.integers(0, 12), st.integers(0, 12)),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(edit, max_size=25))
def test_any_sequence_of_edits_keeps_positions_gapless(edits):
    """Model-based: the services agree with a Python list after every edit, and invalid
    edits (positions out of range) change nothing."""
    owner = UserFactory()
    songs = SongFactory.create_batch(4, album=AlbumFactory())
    playlist = PlaylistFactory(owner=owner)
    expected: list[int] = []
    version = 1

    for operation in edits:
        try:
            if operation[0] == "add":
                _, song_index, position = operation
                services.playlist_song_add(
                    playlist=playlist, user=owner, song_id=songs[song_index].pk, position=position
                )
                at = len(expected) if position is None else position
                if at > len(expected):
                    pytest.fail("an add past the end was accepted")
                expected.insert(at, songs[song_index].pk)
            elif operation[0] == "remove":
                services.playlist_song_remove(playlist=playlist, user=owner, position=operation[1])
                del expected[operation[1]]
            else:
                _, source, target = operation
                services.playlist_song_move(
                    playlist=playlist, user=owner, from_position=source, to_position=target
                )
                expected.insert(target, expected.pop(source))
                # A move onto itself is not an edit: the version stays.
                version -= 1 if source == target else 0
            version += 1
        except (ValidationError, PlaylistEntry.DoesNotExist):
            pass

        positions = list(
            PlaylistEntry.objects.filter(playlist=playlist)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert positions == list(range(len(expected)))
        assert _order(playlist) == expected
        shown = selectors.playlist_get(viewer=owner, playlist_id=playlist.pk)
        assert (shown.song_count, shown.version) == (len(expected), version)


# --- Property: any sequence of likes and unlikes keeps counts equal to rows -------------------

like_edit = st.tuples(
    st.sampled_from(["song", "album", "artist"]),
    st.sampled_from(["add", "remove"]),
    st.integers(0, 2),  # which member
    st.integers(0, 1),  # which item
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(like_edit, max_size=30))
def test_any_sequence_of_likes_keeps_every_count_equal_to_its_rows(edits):
    """Repeated adds, removes of likes that do not exist, several members: every
    `like_count` equals the number of like rows after every step."""
    members = UserFactory.create_batch(3)
    songs = SongFactory.create_batch(2)
    items = {
        "song": (songs, Song, SongLike),
        "album": ([song.album for song in songs], Album, AlbumLike),
        "artist": ([song.album.artist for song in songs], Artist, ArtistLike),
    }
    for kind, action, member, index in edits:
        rows, model, like_model = items[kind]
        item, user = rows[index], members[member]
        if action == "add":
            getattr(services, f"{kind}_like_add")(user=user, **{kind: item})
        else:
            getattr(services, f"{kind}_like_remove")(user=user, **{f"{kind}_id": item.pk})

        for counted in model.objects.filter(pk__in=[row.pk for row in rows]):
            likes = like_model.objects.filter(**{kind: counted}).count()
            assert counted.like_count == likes, (kind, counted.pk)


# --- Catalog cache -------------------------------------------------------------------------


def test_counter_changes_invalidate_the_catalog_cache(user):
    song = SongFactory()

    def generations() -> tuple:
        return caching.current_generation((caching.LIKES,)), caching.current_generation(
            (caching.PLAYS,)
        )

    start = generations()
    services.song_like_add(user=user, song=song)
    after_like = generations()
    services.song_like_add(user=user, song=song)  # not new: nothing moved
    after_repeat = generations()
    services.play_record(song_id=song.pk, user=user)
    after_play = generations()

    assert after_like[0] != start[0]
    assert after_like[1] == start[1]
    assert after_repeat == after_like
    assert after_play[0] == after_like[0]
    assert after_play[1] != after_like[1]

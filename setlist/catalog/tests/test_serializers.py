"""Hand-written serializer output stays identical to what DRF's fields would produce."""

import pytest
from rest_framework import serializers

from setlist.catalog.models import Song
from setlist.catalog.serializers import SongSerializer
from setlist.library import services as library

from .factories import SongFactory

pytestmark = pytest.mark.django_db


def drf_output(song: Song) -> dict:
    """What the declared fields give through DRF's generic `to_representation`."""
    return serializers.ModelSerializer.to_representation(SongSerializer(), song)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("with_genre", [False, True])
def test_song_output_matches_the_declared_fields(user, signed_in, with_genre):
    song = SongFactory(composer="Ünïcode <Name>", **({} if with_genre else {"genre": None}))
    if signed_in:
        library.song_like_add(user=user, song=song)
    row = Song.objects.for_listing(user if signed_in else None).get(pk=song.pk)

    fast = SongSerializer(row).data

    assert fast == drf_output(row)
    assert list(fast) == SongSerializer.Meta.fields
    assert fast["liked"] is signed_in
    assert (fast["genre"] is None) is not with_genre


def test_song_lists_match_the_declared_fields_too(user):
    SongFactory.create_batch(3)
    rows = list(Song.objects.for_listing(user))

    assert SongSerializer(rows, many=True).data == [drf_output(row) for row in rows]


@pytest.mark.parametrize("published_only", [False, True])
def test_cards_read_by_id_match_the_serializer(user, published_only):
    from setlist.catalog.cards import song_cards

    shown = SongFactory(genre=None)
    hidden = SongFactory(album__is_published=False)
    rows = {row.pk: row for row in Song.objects.for_listing(None)}

    cards = song_cards([shown.pk, hidden.pk, 10**12], published_only=published_only)

    expected = {shown.pk} if published_only else {shown.pk, hidden.pk}
    assert set(cards) == expected
    for pk in expected:
        assert cards[pk] == drf_output(rows[pk])
        assert list(cards[pk]) == SongSerializer.Meta.fields
    assert song_cards([], published_only=published_only) == {}


def test_cards_of_many_songs_take_one_query(django_assert_num_queries):
    from setlist.catalog.cards import song_cards

    ids = [song.pk for song in SongFactory.create_batch(30)]
    song_cards(ids[:1], published_only=True)

    with django_assert_num_queries(1):
        assert len(song_cards(ids, published_only=True)) == 30

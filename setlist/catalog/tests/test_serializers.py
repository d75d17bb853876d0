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

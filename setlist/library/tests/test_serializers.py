"""Rows shown with their song are written as DRF's declared fields would write them."""

import pytest
from rest_framework import serializers

from setlist.catalog.selectors import song_cards
from setlist.library import selectors
from setlist.library.models import Play, SongLike
from setlist.library.serializers import HistoryEntrySerializer, SongLikeSerializer

from .factories import SongFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("serializer_class", "model", "moment", "read"),
    [
        (SongLikeSerializer, SongLike, "created_at", selectors.song_like_list),
        (HistoryEntrySerializer, Play, "played_at", selectors.play_history),
    ],
)
def test_song_rows_match_the_declared_fields(user, serializer_class, model, moment, read):
    songs = SongFactory.create_batch(2)
    for song in songs:
        model.objects.create(user=user, song=song)
    context = {"song_cards": song_cards(user=user, ids={song.pk for song in songs})}
    dicts = read(user=user).page((moment, "id"), None, descending=True, limit=10)
    instances = list(model.objects.filter(user=user))

    for row in [*dicts, *instances]:
        fast = serializer_class(row, context=context).data
        generic = serializers.ModelSerializer.to_representation(
            serializer_class(context=context), row
        )
        assert fast == generic
        assert list(fast) == serializer_class.Meta.fields
        assert fast[serializer_class.Meta.fields[1]].endswith("Z")

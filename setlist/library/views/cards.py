"""Rows that point at songs (likes, plays, playlist entries), shown with their songs."""

from collections.abc import Sequence

from django.http import Http404

from setlist.catalog.selectors import song_cards


def _song_id(row) -> int:
    return row["song_id"] if isinstance(row, dict) else row.song_id


class SongCardsMixin:
    """For views whose rows show a song: the songs of a page are read as cards in one
    query (`catalog.cards`) and handed to `RowSongField` through the context.

    A row whose song the caller can no longer see (its album was unpublished since the
    rows were read) is left out of a page, and a single row is then a 404. Rows are model
    instances or dicts (the selectors of long lists read dicts).
    """

    # True where every row is one of the caller's likes: their flags need no query.
    rows_are_liked = False

    def _shown(self, rows: Sequence) -> tuple[list, dict]:
        cards = song_cards(
            user=self.request.user,
            ids={_song_id(row) for row in rows},
            all_liked=self.rows_are_liked,
        )
        context = {"request": self.request, "song_cards": cards}
        return [row for row in rows if _song_id(row) in cards], context

    def rows_with_songs(self, serializer_class, rows: Sequence) -> list[dict]:
        shown, context = self._shown(rows)
        return serializer_class(shown, many=True, context=context).data

    def row_with_song(self, serializer_class, row) -> dict:
        shown, context = self._shown([row])
        if not shown:
            raise Http404
        return serializer_class(row, context=context).data


class SongRowsListMixin(SongCardsMixin):
    """For list views of such rows: each page with its songs."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.rows_with_songs(self.serializer_class, page))

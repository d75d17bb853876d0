"""Rows that point at songs (playlist entries; likes and plays), shown with their songs."""

from collections.abc import Sequence

from django.http import Http404

from setlist.catalog.selectors import song_cards


class SongCardsMixin:
    """For views whose rows show a song: the songs of a page are read as cards in one
    query (`catalog.cards`) and handed to `RowSongField` through the context.

    A row whose song the caller can no longer see (its album was unpublished since the
    rows were read) is left out of a page, and a single row is then a 404.
    """

    def _shown(self, rows: Sequence) -> tuple[list, dict]:
        cards = song_cards(user=self.request.user, ids={row.song_id for row in rows})
        context = {"request": self.request, "song_cards": cards}
        return [row for row in rows if row.song_id in cards], context

    def rows_with_songs(self, serializer_class, rows: Sequence) -> list[dict]:
        shown, context = self._shown(rows)
        return serializer_class(shown, many=True, context=context).data

    def row_with_song(self, serializer_class, row) -> dict:
        shown, context = self._shown([row])
        if not shown:
            raise Http404
        return serializer_class(row, context=context).data


class SongRowsListMixin:
    """For list views whose rows come with their song's card (`"card"`, see
    `library.selectors`): a page and its songs are one read."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {"request": request, "song_cards": {row["song_id"]: row["card"] for row in page}}
        data = self.serializer_class(page, many=True, context=context).data
        return self.get_paginated_response(data)

"""Keyset ("seek") cursor pagination that follows the list's own `?ordering=`.

DRF's `CursorPagination` positions on the first ordering column only and steps over ties
with an offset, capped at 1,000 rows: with a million songs most of which share
`num_streams=0`, that breaks. Here the cursor holds the values of *every* ordering column
of the boundary row (the ordering always ends in the primary key, so the position is
unique) and the next page is `WHERE (col1, ..., id) > (v1, ..., vn)` in the ordering's
direction: a row-value comparison an index on the same columns serves directly, so every
page costs the same however deep it is (see `_after` for how it is written).

The ordering is read from the queryset (the filterset applies the validated `?ordering=`),
so one paginator serves every ordering. All columns must share one direction.
"""

import base64
import binascii
from dataclasses import dataclass

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, OrderBy
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThanOrEqual,
    TupleLessThanOrEqual,
)
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from setlist.core.pagination import CursorPagination

from .search import SortedAfterFiltering


def _jsonable(values: list) -> list:
    return [value.isoformat() if hasattr(value, "isoformat") else value for value in values]


@dataclass(frozen=True)
class Cursor:
    values: list
    reverse: bool  # True: the page *before* the boundary row (a "previous" link)


class KeysetCursorPagination(CursorPagination):
    """`?cursor=` pages of `{"next", "previous", "results"}` over any unique ordering."""

    validation_error_params = ("page_size", "cursor")

    invalid_cursor_message = "Invalid cursor."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.model = queryset.model
        self.columns, self.descending = self._ordering(queryset)
        cursor = self.decode_cursor(request)

        # A previous page is read backwards from the boundary, then put back in order.
        backwards = cursor is not None and cursor.reverse
        queryset = queryset.order_by(*self._order(descending=self.descending != backwards))
        if cursor is not None:
            queryset = queryset.filter(
                self._after(cursor.values, descending=self.descending != backwards)
            )
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.has_next = more if not backwards else True
        self.has_previous = more if backwards else cursor is not None
        self.page = rows
        self.cursor = cursor
        return rows

    def _ordering(self, queryset) -> tuple[list[str], bool]:
        """The ordering's columns and direction (`SortedAfterFiltering` counts as its column)."""
        columns, directions, self.sorted_after_filtering = [], set(), set()
        for part in queryset.query.order_by:
            if isinstance(part, str):
                columns.append(part.lstrip("-"))
                directions.add(part.startswith("-"))
            elif isinstance(part, OrderBy) and isinstance(part.expression, SortedAfterFiltering):
                columns.append(part.expression.column)
                directions.add(part.descending)
                self.sorted_after_filtering.add(part.expression.column)
            else:
                raise TypeError(f"KeysetCursorPagination cannot order by {part!r}.")
        if len(directions) != 1 or not columns or columns[-1] != "id":
            raise TypeError("Keyset orderings share one direction and end with the id.")
        return columns, directions.pop()

    def _after(self, values: list, *, descending: bool):
        """Rows strictly after `values` in the given direction, as an inclusive comparison.

        `(c, id) < (v, n)` is written `(c, id) <= (v, n - 1)` (ids are integers): the same
        rows, but PostgreSQL estimates a row comparison from its first column alone, and
        `c < v` looks empty when every row has c = v (a new catalog: no plays yet). That
        estimate made it sort the whole table (8 s at a million songs) instead of seeking
        in the index; `c <= v` is estimated right.
        """
        columns = Tuple(*(F(column) for column in self.columns))
        *leading, last_id = values
        if descending:
            return TupleLessThanOrEqual(columns, [*leading, last_id - 1])
        return TupleGreaterThanOrEqual(columns, [*leading, last_id + 1])

    def _order(self, *, descending: bool) -> list:
        order = []
        for column in self.columns:
            expression = (
                SortedAfterFiltering(column) if column in self.sorted_after_filtering else F(column)
            )
            order.append(expression.desc() if descending else expression.asc())
        return order

    def _ordering_key(self) -> str:
        return ("-" if self.descending else "") + ",".join(self.columns)

    def _position(self, row) -> list:
        return _jsonable([getattr(row, column) for column in self.columns])

    def decode_cursor(self, request) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            payload = orjson.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            raw, reverse = payload["v"], payload["r"]
            # A cursor only makes sense in the ordering it was made for.
            if payload["o"] != self._ordering_key() or not isinstance(raw, list):
                raise ValueError("cursor does not fit the ordering")
            values = [
                # clean(): parsed *and* range-checked, so a forged huge number is a 400.
                self.model._meta.get_field(column).clean(value, None)
                for column, value in zip(self.columns, raw, strict=True)
            ]
            if any(value is None for value in values):
                raise ValueError("cursor has an empty position")
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            orjson.JSONDecodeError,
            DjangoValidationError,
        ) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        return Cursor(values=values, reverse=bool(reverse))

    def encode_cursor(self, cursor: Cursor) -> str:
        payload = orjson.dumps(
            {"o": self._ordering_key(), "v": cursor.values, "r": int(cursor.reverse)}
        )
        encoded = base64.urlsafe_b64encode(payload).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if self.page:
            return self.encode_cursor(Cursor(self._position(self.page[-1]), reverse=False))
        # An empty page read backwards: everything from the boundary on comes next.
        return self.encode_cursor(Cursor(_jsonable(self.cursor.values), reverse=False))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if self.page:
            return self.encode_cursor(Cursor(self._position(self.page[0]), reverse=True))
        if self.cursor is None:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(Cursor(_jsonable(self.cursor.values), reverse=True))

"""Pagination: page numbers for ordinary lists, cursors for very large collections.

Both read `?page_size=` (default 20, at most 100). Larger values are clamped, not refused;
anything that is not a positive whole number is a 400 naming the parameter, and so is a
`?page=` that is not one.

Cursors are keyset ("seek") positions. DRF's own `CursorPagination` positions on the first
ordering column only and steps over ties with an offset: capped at 1,000 rows, and its
previous links lose rows that share that column's value (encode/django-rest-framework#7709).
Here a cursor holds the values of *every* ordering column of the boundary row (an ordering
always ends in the primary key, so the position is unique), and the next page is
`WHERE (col1, ..., id) > (v1, ..., vn)` in the ordering's direction: a row-value comparison
an index on the same columns serves directly, so every page costs the same however deep.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .keyset import KeysetRows, arranged

DEFAULT_PAGE_SIZE = 20
_LARGEST_ID = 2**63 - 1  # a bigint's
MAX_PAGE_SIZE = 100


def _positive_digits(raw: str) -> str | None:
    """`raw` without leading zeros if it is a positive whole number in ASCII digits."""
    digits = raw.lstrip("0")
    return digits if raw.isascii() and raw.isdigit() and digits else None


def _not_a_positive_number(param: str) -> ValidationError:
    return ValidationError({param: ["A positive whole number is required."]}, code="invalid")


class PageSizeMixin:
    """`?page_size=N`, clamped to `max_page_size`; nonsense is refused, not ignored."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Query parameters this paginator refuses with a 400 (the schema documents them).
    validation_error_params: tuple[str, ...] = ("page_size",)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        digits = _positive_digits(raw)
        if digits is None:
            raise _not_a_positive_number(self.page_size_query_param)
        # However many digits, a whole number is a size: past the maximum it is clamped
        # (API.md), without parsing a number of unbounded length.
        return min(int(digits) if len(digits) <= 9 else self.max_page_size, self.max_page_size)


class PageNumberPagination(PageSizeMixin, pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `?page=` and `?page_size=`.

    `?page=` is a positive whole number (a 400 otherwise, where DRF reads an empty one as
    the first page); past the last page is a 404. DRF's `page=last` is not offered: the
    schema promises an integer.
    """

    validation_error_params = ("page_size", "page")
    last_page_strings = ()

    def get_page_number(self, request, paginator) -> str | int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        digits = _positive_digits(raw)
        if digits is None:
            raise _not_a_positive_number(self.page_query_param)
        return digits  # Django's paginator reads it; one past the end is an invalid page


def _jsonable(values: list) -> list:
    return [value.isoformat() if hasattr(value, "isoformat") else value for value in values]


@dataclass(frozen=True)
class Cursor:
    values: list
    reverse: bool  # True: the page *before* the boundary row (a "previous" link)


class CursorPagination(PageSizeMixin, pagination.CursorPagination):
    """Opaque `?cursor=` pages of `{"next", "previous", "results"}` whose cost does not grow
    with depth (see the module docstring).

    Views set `ordering`: indexed columns in one direction, ending with the id (newest
    first by default). The response keeps the page-number shape less `count`, which would
    need a full scan. A `KeysetRows` (`core.keyset`) is read by its compiled statements.
    """

    ordering = ("-created_at", "-id")
    validation_error_params = ("page_size", "cursor")
    invalid_cursor_message = "Invalid cursor."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.model = queryset.model
        self.columns, self.descending = self.ordering_of(queryset)
        cursor = self.decode_cursor(request)

        # A previous page is read backwards from the boundary, then put back in order.
        backwards = cursor is not None and cursor.reverse
        rows = self._rows(
            queryset,
            None if cursor is None else cursor.values,
            descending=self.descending != backwards,
            limit=self.page_size + 1,
        )
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.has_next = more if not backwards else True
        self.has_previous = more if backwards else cursor is not None
        self.page = rows
        self.cursor = cursor
        return rows

    def ordering_of(self, queryset) -> tuple[list[str], bool]:
        """The ordering's columns and whether it is descending: the view's `ordering`."""
        return keyset_ordering(
            [part.lstrip("-") for part in self.ordering],
            {part.startswith("-") for part in self.ordering},
        )

    def order(self, *, descending: bool) -> list | None:
        """`order_by()` arguments for the ordering's columns in the given direction, where
        plain columns would not do (None: they do)."""
        return None

    def _rows(self, queryset, position: list | None, *, descending: bool, limit: int) -> list:
        """The first `limit` rows strictly after `position` (from the start without one),
        reading down the ordering if `descending`."""
        bound = None if position is None else _step(position, back=False, descending=descending)
        if isinstance(queryset, KeysetRows):  # compiled: its ordering is plain columns
            return queryset.page(self.columns, bound, descending=descending, limit=limit)
        order = self.order(descending=descending)
        rows = arranged(queryset, self.columns, bound, descending=descending, order=order)
        return list(rows[:limit])

    def _ordering_key(self) -> str:
        return ("-" if self.descending else "") + ",".join(self.columns)

    def _position(self, row) -> list:
        if isinstance(row, dict):
            return _jsonable([row[column] for column in self.columns])
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
            # A time is compared in UTC: one that has none (year 9999 at -23:59) is forged.
            values = [_in_utc(value) for value in values]
            if not 0 <= values[-1] < _LARGEST_ID:  # a position's id moves by one (`_step`)
                raise ValueError("cursor has no id")
        except (
            ValueError,
            TypeError,
            KeyError,
            OverflowError,
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
        # An empty page read backwards (the rows before it went meanwhile): next come the
        # rows from its boundary on, the boundary's own row too.
        boundary = _step(self.cursor.values, back=True, descending=self.descending)
        return self.encode_cursor(Cursor(_jsonable(boundary), reverse=False))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if self.page:
            return self.encode_cursor(Cursor(self._position(self.page[0]), reverse=True))
        if self.cursor is None:
            return remove_query_param(self.base_url, self.cursor_query_param)
        # An empty page read forwards: before it come the rows up to its boundary, the
        # boundary's own row too.
        boundary = _step(self.cursor.values, back=False, descending=self.descending)
        return self.encode_cursor(Cursor(_jsonable(boundary), reverse=True))


def keyset_ordering(columns: list[str], directions: set[bool]) -> tuple[list[str], bool]:
    """`columns` and whether they descend, if they can be a keyset: one direction, ending
    with the id (so that a position is unique)."""
    if len(directions) != 1 or not columns or columns[-1] != "id":
        raise TypeError("Keyset orderings share one direction and end with the id.")
    return columns, directions.pop()


def _step(position: list, *, back: bool, descending: bool) -> list:
    """`position` with its id moved one step forward in an ordering that runs down
    (`descending`) or up, or one step `back`. Ids are integers, so the rows strictly
    after a position are the rows from one step on, inclusive.

    Pages are read that way: `(c, id) < (v, n)` as `(c, id) <= (v, n - 1)`. The rows are
    the same, but PostgreSQL estimates a row comparison from its first column alone, and
    `c < v` looks empty when every row has c = v (a new catalog: no plays yet). That
    estimate made it sort the whole table (8 s at a million songs) instead of seeking in
    the index; `c <= v` is estimated right.
    """
    *leading, last_id = position
    return [*leading, last_id + (1 if back == descending else -1)]


def _in_utc(value):
    return value.astimezone(UTC) if isinstance(value, datetime) else value

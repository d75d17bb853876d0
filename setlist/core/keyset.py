"""Cursor pages of long lists, read by statements compiled once (see `core.prepared`).

`core.pagination.CursorPagination` reads a page as the list's rows ordered by some
columns, past a position (one row-value comparison, `arranged`), limited. A `KeysetRows`
compiles that once per ordering, direction and whether there is a position, with the
caller's values, the position and the limit as parameters, and prepares it once per
PostgreSQL connection. For a page of 50 likes at a million songs, building and compiling
the queryset cost more Python time than reading the rows, and PostgreSQL planned its join
afresh each time (0.8-1.7 ms). On other databases the queryset is arranged and read.
"""

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.db import connection
from django.db.models import DateTimeField, F, IntegerField, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThanOrEqual,
    TupleLessThanOrEqual,
)

from .prepared import CompiledQuery


def arranged(rows: QuerySet, columns: Sequence[str], bound, *, descending: bool, order=None):
    """`rows` ordered by `columns` (or by `order`, expressions of the same columns), and
    with a `bound` (values of the columns) only the rows up to it, inclusive."""
    if order is None:
        order = [F(column).desc() if descending else F(column).asc() for column in columns]
    rows = rows.order_by(*order)
    if bound is None:
        return rows
    values = Tuple(*(F(column) for column in columns))
    if descending:
        return rows.filter(TupleLessThanOrEqual(values, list(bound)))
    return rows.filter(TupleGreaterThanOrEqual(values, list(bound)))


def _position_marker(field, index: int):
    """A stand-in for a position's value in `field` while the SQL is compiled; each must be
    found once among the parameters, so none may equal another or a caller's marker."""
    if isinstance(field, DateTimeField):
        return datetime(1901, 2, 3, 4, 5, 6, 789012 + index, tzinfo=UTC)
    if isinstance(field, IntegerField):  # ids too (AutoField and BigAutoField are)
        return -424_242 - index
    raise TypeError(f"keyset positions in {type(field).__name__} columns are not supported")


class KeysetList:
    """A long list paged with cursors: `build(*markers)` gives its rows as an unordered
    `.values()` queryset, with `markers` in place of the values that change from caller to
    caller (their id, say). `rows(*values)` is what a view returns from `get_queryset()`.
    `shape`, if given, makes each row (a dict) what the view shows; it keeps the columns a
    cursor's position names."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet],
        *,
        markers=(-1,),
        shape: Callable[[dict], dict] | None = None,
    ):
        self.name, self._build, self._markers = name, build, tuple(markers)
        self._shape = shape or (lambda row: row)
        self._statements: dict[tuple, CompiledQuery] = {}

    def rows(self, *values) -> "KeysetRows":
        return KeysetRows(self, values)

    @functools.cached_property
    def model(self):
        return self._template.model

    @functools.cached_property
    def _template(self) -> QuerySet:
        return self._build(*self._markers)

    def page(self, values: tuple, columns, bound, *, descending: bool, limit: int) -> list:
        """The first `limit` rows of the list for `values`, `arranged` by `columns`."""
        shape = self._shape
        if connection.vendor != "postgresql":
            rows = arranged(self._build(*values), columns, bound, descending=descending)
            return [shape(row) for row in rows[:limit]]
        statement = self._statement(tuple(columns), descending, with_bound=bound is not None)
        found = statement.rows(*values, *(bound or ()), limit)
        names = self._names
        return [shape(dict(zip(names, row, strict=True))) for row in found]

    @functools.cached_property
    def _names(self) -> tuple[str, ...]:
        """The columns of a row, in the order `.values()` was given them."""
        return tuple(self._template.query.selected)

    def _statement(self, columns: tuple[str, ...], descending: bool, *, with_bound: bool):
        key = (columns, descending, with_bound)
        if key not in self._statements:
            callers = len(self._markers)
            markers = self._markers
            if with_bound:
                fields = [self.model._meta.get_field(column) for column in columns]
                markers = (*markers, *map(_position_marker, fields, range(len(fields))))

            def build(*values):
                bound = values[callers:] if with_bound else None
                rows = self._build(*values[:callers])
                return arranged(rows, columns, bound, descending=descending)

            self._statements[key] = CompiledQuery(
                f"{self.name}_page", build, markers=markers, prepare=True, suffix="LIMIT %s"
            )
        return self._statements[key]


class KeysetRows:
    """The rows of a `KeysetList` for one caller, read a page at a time by
    `CursorPagination` (see the module docstring)."""

    def __init__(self, source: KeysetList, values: tuple):
        self.source, self.values = source, values

    @property
    def model(self):  # for the paginator's cursor and the schema generator
        return self.source.model

    def page(self, columns, bound, *, descending: bool, limit: int) -> list[dict]:
        return self.source.page(self.values, columns, bound, descending=descending, limit=limit)

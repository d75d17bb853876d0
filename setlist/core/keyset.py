"""Cursor pages of long lists, read by statements compiled once (see `core.prepared`).

`core.pagination.CursorPagination` reads a page as: the list's rows, ordered, past a
position (one row-value comparison), limited. For a `KeysetRows` it hands over that
arrangement as a function of the rows and the position, and the list compiles it once per
ordering and direction, with the caller's values, the position and the limit as
parameters, prepared once per PostgreSQL connection. For a page of 50 likes at a million
songs, building and compiling the queryset cost more Python time than reading the rows,
and PostgreSQL planned its three-table join afresh each time (0.8-1.7 ms). On other
databases the arrangement runs on the queryset itself.
"""

import functools
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connection
from django.db.models import DateTimeField, QuerySet

from .prepared import CompiledQuery

# Arranges a list's rows for a page: (rows, position or None) -> rows, ordered and filtered.
Arrange = Callable[[QuerySet, list | None], QuerySet]


def _position_marker(field, index: int):
    """A stand-in for a position's value in `field` while the SQL is compiled; each must be
    found once among the parameters, so none may equal another or a caller's marker."""
    if isinstance(field, DateTimeField):
        return datetime(1901, 2, 3, 4, 5, 6, 789012 + index, tzinfo=UTC)
    return -424_242 - index  # an id


class KeysetList:
    """A long list paged with cursors: `build(*markers)` gives its rows as an unordered
    `.values()` queryset of plain columns, with `markers` in place of the values that
    change from caller to caller (their id, say). `rows(*values)` is what a view returns
    from `get_queryset()`. `shape`, if given, makes each row (a dict) what the view shows;
    it keeps the columns a cursor's position names."""

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

    def page(self, values: tuple, arrange: Arrange, position, *, ordering, limit: int):
        """The first `limit` rows of `arrange(rows, position)`, as the queryset gives them.
        `ordering` ("-created_at", "-id") is the one `arrange` orders by: the same
        ordering, the same SQL but for the values."""
        shape = self._shape
        if connection.vendor != "postgresql":
            return [shape(row) for row in arrange(self._build(*values), position)[:limit]]
        statement = self._statement(arrange, tuple(ordering), with_position=position is not None)
        found = statement.rows(*values, *(position or ()), limit)
        names = self._names
        return [shape(dict(zip(names, row, strict=True))) for row in found]

    @functools.cached_property
    def _names(self) -> tuple[str, ...]:
        """The columns of a row, as `.values()` names them (annotations last)."""
        query = self._template.query
        return (*query.values_select, *query.annotation_select)

    def _statement(self, arrange: Arrange, ordering: tuple[str, ...], *, with_position: bool):
        key = (ordering, with_position)
        if key not in self._statements:
            callers = len(self._markers)
            markers = self._markers
            if with_position:
                fields = [self.model._meta.get_field(part.lstrip("-")) for part in ordering]
                markers = (*markers, *map(_position_marker, fields, range(len(fields))))

            def build(*values):
                position = list(values[callers:]) if with_position else None
                return arrange(self._build(*values[:callers]), position)

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

    def page(self, arrange: Arrange, position, *, ordering, limit: int) -> list[dict]:
        return self.source.page(self.values, arrange, position, ordering=ordering, limit=limit)

"""Keyset cursor pagination (`core.pagination`) that follows the list's own `?ordering=`.

The ordering is read from the queryset (the filterset applies the validated `?ordering=`),
so one paginator serves every ordering. All columns must share one direction.
"""

from django.db.models import F, OrderBy

from setlist.core.pagination import CursorPagination, keyset_ordering

from .search import SortedAfterFiltering


class KeysetCursorPagination(CursorPagination):
    """`?cursor=` pages over whichever unique ordering the filterset chose."""

    def ordering_of(self, queryset) -> tuple[list[str], bool]:
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
        return keyset_ordering(columns, directions)

    def order(self, *, descending: bool) -> list | None:
        order = []
        for column in self.columns:
            expression = (
                SortedAfterFiltering(column) if column in self.sorted_after_filtering else F(column)
            )
            order.append(expression.desc() if descending else expression.asc())
        return order

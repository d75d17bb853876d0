"""Pagination: page numbers for ordinary lists, cursors for very large collections.

Both read `?page_size=` (default 20, at most 100). Larger values are clamped, not refused;
anything that is not a positive whole number is a 400 naming the parameter.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


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
        digits = raw.lstrip("0")
        if raw.isascii() and raw.isdigit() and digits:
            # However many digits, a whole number is a size: past the maximum it is
            # clamped (API.md), without parsing a number of unbounded length.
            return min(int(digits) if len(digits) <= 9 else self.max_page_size, self.max_page_size)
        raise ValidationError(
            {self.page_size_query_param: ["A positive whole number is required."]},
            code="invalid",
        )


class PageNumberPagination(PageSizeMixin, pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `?page=` and `?page_size=`."""


class CursorPagination(PageSizeMixin, pagination.CursorPagination):
    """Opaque `?cursor=` pages whose cost does not grow with depth.

    Views set `ordering` to a unique, indexed column sequence (newest first by default).
    The response keeps the page-number shape less `count`, which would need a full scan.
    """

    ordering = ("-created_at", "-id")

"""Pagination: page numbers for ordinary lists, cursors for very large collections.

Both read `?page_size=` (default 20, at most 100). Larger values are clamped, not refused;
anything that is not a positive whole number is a 400 naming the parameter, and so is a
`?page=` that is not one.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 20
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


class CursorPagination(PageSizeMixin, pagination.CursorPagination):
    """Opaque `?cursor=` pages whose cost does not grow with depth.

    Views set `ordering` to a unique, indexed column sequence (newest first by default).
    The response keeps the page-number shape less `count`, which would need a full scan.
    """

    ordering = ("-created_at", "-id")

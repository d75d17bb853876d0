"""Pagination: page numbers for ordinary lists, cursors for very large collections.

Both read `?page_size=` (default 20, at most 100). Larger values are clamped, not refused,
and anything that is not a positive number falls back to the default.
"""

from rest_framework import pagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `?page=` and `?page_size=`."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class CursorPagination(pagination.CursorPagination):
    """Opaque `?cursor=` pages whose cost does not grow with depth.

    Views set `ordering` to a unique, indexed column sequence (newest first by default).
    The response keeps the page-number shape less `count`, which would need a full scan.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-created_at", "-id")

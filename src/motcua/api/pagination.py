"""Limit/offset pages with bounds: a page never holds more than MAX_LIMIT rows and an offset
beyond any table's size is read as "past the end" (no integer overflow in the database)."""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_LIMIT = 200
MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)

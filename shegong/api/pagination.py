"""The one pagination of the API: ?page=N&page_size=M, bounded.

Bounds matter: an offset past the database's integer range makes the query fail (a 500 on
SQLite), so page and page_size are validated like any other input and answer 422 when absurd.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

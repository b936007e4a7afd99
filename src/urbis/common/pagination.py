"""API pagination with bounded page numbers.

django-ninja's page number is unbounded: a page of 10^23 makes an OFFSET the database
cannot represent (SQLite: "datatype mismatch", a 500). Here the page is at most
MAX_PAGE, and anything larger is a 422 like any other invalid parameter.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)

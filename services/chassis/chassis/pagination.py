"""One way to page through a list, for every service: ?limit=&offset=, with a cap so a
client cannot ask for a whole table at once."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response


class Pagination(LimitOffsetPagination):
    max_limit = 1000


def paginated_response(view, queryset, serializer_class, pagination_class=Pagination) -> Response:
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)

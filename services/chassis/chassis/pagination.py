"""One way to page through a list, for every service: ?limit=&offset=, with a cap so a
client cannot ask for a whole table at once.

A limit or offset that is not a whole number in range is refused with 400 naming the
parameter, rather than silently replaced by the default as DRF does: a client that asked
for something else should learn it did not get it."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

# Past any real list, below what PostgreSQL's OFFSET (a bigint) could overflow on.
MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    max_limit = 1000

    def get_limit(self, request) -> int:
        return self._whole_number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request) -> int:
        return self._whole_number(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    @staticmethod
    def _whole_number(request, name: str, default: int, low: int, high: int) -> int:
        given = request.query_params.get(name)
        if given is None:
            return default
        if not given.isascii() or not given.isdigit() or not low <= int(given) <= high:
            raise serializers.ValidationError({name: [f"Give a whole number from {low} to {high}."]})
        return int(given)

    def get_schema_operation_parameters(self, view):
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, MAX_OFFSET)}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high)
        return parameters


class ListApi(APIView):
    """A GET that answers one page of a list in the count/next/previous/results envelope.
    The schema generator (chassis.schema) documents it as that envelope of serializer_class."""

    pagination_class = Pagination
    serializer_class: type[serializers.Serializer]

    def page_of(self, queryset) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(self.serializer_class(page, many=True).data)

"""Text from the URL and the headers, checked once at the boundary: a NUL character in the
path, a query parameter or a header is refused with 400 before any view (or query) sees it."""

from __future__ import annotations

from django.http import JsonResponse

from chassis.errors import error_body
from chassis.parsers import text_problem


class RejectUnreadableText:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = text_problem("path", request.path)
        for name, values in request.GET.lists():
            problem = (
                problem
                or text_problem("query", name)
                or next((found for value in values if (found := text_problem(name, value))), None)
            )
        for name, value in request.headers.items():
            problem = problem or text_problem(f"header {name}", value)
        if problem:
            where, what = problem
            return JsonResponse(error_body("invalid", "The request has invalid fields.", {where: [what]}), status=400)
        return self.get_response(request)

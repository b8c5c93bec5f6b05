"""A domain error that escapes a view is an answer with its status, never a server error."""

from django.http import HttpResponse

from catalog.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return HttpResponse(
                f"{exception.code}: {exception}",
                status=exception.http_status,
                content_type="text/plain; charset=utf-8",
            )
        return None

"""Live parts of pages: htmx polls a partial until the work it shows ends."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseStopPolling


def live_partial(request: HttpRequest, template_name: str, context: dict, *, finished: bool) -> HttpResponse:
    """The polled partial; once the work is finished, 286 stops polling and the page reloads once
    so its header, actions and final figures show the end state."""
    response = render(request, template_name, context)
    if finished:
        response = HttpResponseStopPolling(response.content)
        response["HX-Refresh"] = "true"
    return response

"""The citizen portal's pages. Thin: read through selectors, write through services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core import network


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's answer: 429 with a message a citizen understands."""
    return render(request, "portal/rate_limited.html", status=429)


def client_ip(request: HttpRequest) -> str:
    return network.client_ip(request)

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import roles_by_unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"units": roles_by_unit(request.user)})

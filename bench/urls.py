from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    """The baseline: Django's request/response cycle and nothing else."""
    return JsonResponse({"ok": True}, status=201)


def bare_get(request: HttpRequest) -> HttpResponse:
    """The GET baseline: a small HTML page, nothing looked up."""
    return HttpResponse("<!doctype html><title>bare</title><p>bare</p>")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-get/", bare_get),
    path("", include("motcua.urls")),
]

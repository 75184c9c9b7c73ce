from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    """The baseline: Django's request/response cycle and nothing else."""
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/bare/", bare), path("", include("motcua.urls"))]

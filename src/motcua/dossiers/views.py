from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Dossier


def track(request: HttpRequest, code: str) -> HttpResponse:
    """Public look-up by dossier code: the code and its status, nothing personal."""
    dossier = get_object_or_404(Dossier.objects.only("code", "status"), code=code)
    return render(
        request,
        "dossiers/track.html",
        {"code": dossier.code, "status": dossier.get_status_display()},
    )

"""Test-only administration over HTTP: the test process cannot reach this database."""

import hmac
import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_application_model

from .models import Profile


def _payload(request: HttpRequest) -> dict[str, Any]:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given, settings.ADMIN_TOKEN):
        raise PermissionDenied
    return json.loads(request.body)


@csrf_exempt
@require_POST
def add_user(request: HttpRequest) -> JsonResponse:
    data = _payload(request)
    user = get_user_model().objects.create_user(data["username"], password=data["password"])
    Profile.objects.create(user=user, claims=data["claims"])
    return JsonResponse({"sub": str(user.pk)})


@csrf_exempt
@require_POST
@transaction.atomic
def add_redirect_uri(request: HttpRequest) -> JsonResponse:
    uri = _payload(request)["uri"]
    application = get_application_model().objects.select_for_update().get()
    uris = application.redirect_uris.split()
    if uri not in uris:
        uris.append(uri)
        # update(), not save(): save() would run the client-secret hashing again
        type(application).objects.filter(pk=application.pk).update(redirect_uris=" ".join(uris))
    return JsonResponse({"redirect_uris": uris})

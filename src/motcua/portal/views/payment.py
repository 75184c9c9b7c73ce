"""The gateway's two ways back: the browser (return URL) and the server-to-server IPN."""

from functools import lru_cache
from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from motcua.core.permissions import permission

from ..payments.simulator import GatewaySimulator, Merchant
from ..services import payments


@permission("portal.payment_gateway")
def payment_return(request: HttpRequest) -> HttpResponse:
    payment, problem = payments.read_return(request.GET)
    return render(request, "portal/payment_return.html", {"payment": payment, "problem": problem})


@permission("portal.payment_gateway")
@csrf_exempt
def payment_ipn(request: HttpRequest) -> JsonResponse:
    return JsonResponse(payments.handle_ipn(request.GET))


@permission("portal.payment_gateway")
@csrf_exempt
def simulator(request: HttpRequest, path: str) -> HttpResponse:
    """The built-in gateway simulator, for the offline demo only (no real gateway set)."""
    if not settings.MOTCUA_PAYMENT_SIMULATOR:
        raise Http404
    body = _body(request)
    environ = {
        **request.META,
        "PATH_INFO": "/" + path,
        "wsgi.input": BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    started: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
        started.update(status=int(status.split()[0]), headers=headers)

    ipn = settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("portal-payment-ipn")
    gateway = _demo_gateway(settings.MOTCUA_VNPAY_TMN_CODE, settings.MOTCUA_VNPAY_SECRET, ipn)
    body = b"".join(gateway(environ, start_response))
    response = HttpResponse(body, status=started["status"])  # type: ignore[arg-type]
    for name, value in started["headers"]:  # type: ignore[attr-defined]
        response[name] = value
    return response


def _body(request: HttpRequest) -> bytes:
    """The raw body; a multipart form already parsed (by a middleware) is encoded again."""
    try:
        return request.body
    except RawPostDataException:
        request.META["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        return urlencode(list(request.POST.lists()), doseq=True).encode()


@lru_cache(maxsize=4)
def _demo_gateway(tmn_code: str, secret: str, ipn_url: str) -> GatewaySimulator:
    """One simulator per configuration, so it remembers which payments it confirmed."""
    return GatewaySimulator({tmn_code: Merchant(secret=secret, ipn_url=ipn_url)})

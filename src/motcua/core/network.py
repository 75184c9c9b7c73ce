"""The client's address, the one way: rate limits (django-ratelimit, DRF's throttles), login
lockout (django-axes) and the websites' visitor counter all call ``client_ip``.

Without MOTCUA_TRUSTED_PROXIES the address is the connection's own (REMOTE_ADDR) and any
X-Forwarded-For header is ignored, so a visitor cannot choose the address they are counted
under. Behind a reverse proxy, list its addresses or networks (comma-separated, e.g.
``127.0.0.1,10.0.0.0/8``): when the connection comes from one of them, the address is the
right-most entry of X-Forwarded-For that is not itself a trusted proxy (entries to its left
were written by the client and prove nothing).
"""

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    networks = _networks(tuple(settings.MOTCUA_TRUSTED_PROXIES))
    return any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: count the proxy, not a made-up address
        if not _trusted(hop):
            return hop
    return remote

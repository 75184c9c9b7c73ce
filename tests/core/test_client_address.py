"""One address for rate limits, lockout and the visitor counter (core.network.client_ip)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from motcua.core.network import client_ip


def _request(remote: str, forwarded: str = ""):  # type: ignore[no-untyped-def]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@override_settings(MOTCUA_TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_a_forwarded_header_is_ignored():
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"])
@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("198.51.100.1", "198.51.100.1"),
        ("1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client wrote 1.2.3.4 itself
        ("198.51.100.1, 10.1.2.3", "198.51.100.1"),  # two proxies of ours
        ("not-an-address", "10.0.0.5"),
        ("", "10.0.0.5"),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(forwarded, expected):
    assert client_ip(_request("10.0.0.5", forwarded)) == expected


@pytest.mark.django_db
@override_settings(MOTCUA_LOOKUP_RATE="2/m", MOTCUA_TRUSTED_PROXIES=[])
def test_a_forged_forwarded_header_does_not_escape_the_public_status_limit(client):
    cache.clear()
    answers = [
        client.post(
            "/api/v1/public/status/",
            {"code": "000.00.00.H00-260101-0001", "phone": "0912345678"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]
    assert answers[:2] == [404, 404] and answers[2:] == [429, 429]
    cache.clear()


@pytest.mark.django_db
@override_settings(MOTCUA_VERIFY_RATE="3/m")
def test_public_copy_verification_is_rate_limited_for_get_and_post(client):
    cache.clear()
    answers = [
        client.get("/kiem-tra-ban-sao/", {"so": "1", "ma": "x"}).status_code for _ in range(3)
    ]
    answers.append(client.post("/kiem-tra-ban-sao/", {"so": "1", "ma": "x"}).status_code)
    assert answers == [200, 200, 200, 429]
    cache.clear()

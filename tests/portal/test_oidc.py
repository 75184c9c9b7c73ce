"""Citizen single sign-on against a real OpenID Connect provider running in a subprocess.

The portal runs in Django's test client; the citizen's browser at the provider is a
requests.Session. Code, tokens, keys and user info travel over real HTTP.
"""

import logging
import re
from typing import Any
from urllib.parse import urljoin
from uuid import uuid4

import pytest
import requests
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from motcua.core.models import AdministrativeUnit, AuditEvent, Role, User
from tests.conftest import make_user

from .conftest import TEST_CLIENT_CALLBACK
from .oidc_provider.launcher import OIDCProvider

pytestmark = pytest.mark.django_db

MY_DOSSIERS = "/cong-dan/ho-so/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def start_sign_in(client: Client) -> str:
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302, response.status_code
    return response["Location"]


def authorize_at_provider(url: str, username: str, password: str) -> str:
    """Walk the provider's pages like a browser until it sends the citizen back to us."""
    browser = requests.Session()
    for _ in range(10):
        if url.startswith(TEST_CLIENT_CALLBACK):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200:  # the provider's sign-in form
            csrf = CSRF_FIELD.search(response.text)
            assert csrf, response.text[:500]
            form = {"csrfmiddlewaretoken": csrf[1], "username": username, "password": password}
            response = browser.post(url, data=form, allow_redirects=False, timeout=10)
        assert response.is_redirect, f"{response.status_code}: {response.text[:500]}"
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never redirected to {TEST_CLIENT_CALLBACK}")


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.get(authorize_at_provider(start_sign_in(client), username, password))


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_oidc_sign_in_creates_a_citizen_account_from_the_identity_provider_claims(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    claims = oidc_settings.claims
    start = start_sign_in(client)
    assert start.startswith(oidc_settings.authorization_endpoint)
    assert "code_challenge=" in start  # PKCE

    callback = authorize_at_provider(start, oidc_settings.username, oidc_settings.password)
    response = client.get(callback)

    assert response.status_code == 302
    assert response["Location"] == MY_DOSSIERS
    user = signed_in_user(client)
    assert user is not None
    assert user.is_citizen
    assert not user.is_staff
    assert user.personal_id == claims["personal_id"]
    assert user.full_name == claims["name"]
    assert user.email == claims["email"]
    assert user.phone == claims["phone_number"]
    assert not user.has_usable_password()
    assert user.username == f"cd{claims['personal_id']}"  # as for portal sign-ups
    assert user.email_verified_at is not None  # the provider vouches for the address
    event = AuditEvent.objects.get(action="citizen.oidc_login")
    assert (event.actor, event.unit, event.object_id) == (user, None, str(user.pk))
    assert event.after is not None and event.after["created"] is True


def test_second_oidc_sign_in_reuses_the_same_account(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    sign_in(client, oidc_settings.username, oidc_settings.password)
    first = signed_in_user(client)
    client.logout()

    sign_in(client, oidc_settings.username, oidc_settings.password)

    assert signed_in_user(client) == first
    assert User.objects.filter(personal_id=oidc_settings.claims["personal_id"]).count() == 1
    events = AuditEvent.objects.filter(action="citizen.oidc_login").order_by("seq")
    assert [(e.after or {}).get("matched_by") for e in events] == ["new", "personal_id"]


def test_each_oidc_sign_in_refreshes_name_and_phone_from_the_provider(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    sign_in(client, oidc_settings.username, oidc_settings.password)
    User.objects.filter(is_citizen=True).update(full_name="Tên cũ", phone="0280000000")
    client.logout()

    sign_in(client, oidc_settings.username, oidc_settings.password)

    user = signed_in_user(client)
    assert user is not None
    assert (user.full_name, user.phone) == (
        oidc_settings.claims["name"],
        oidc_settings.claims["phone_number"],
    )


@pytest.mark.parametrize("matched_on", ["personal_id", "verified_email"])
def test_oidc_never_signs_in_as_a_staff_account(
    client: Client,
    oidc_settings: OIDCProvider,
    ward: AdministrativeUnit,
    caplog: pytest.LogCaptureFixture,
    matched_on: str,
) -> None:
    staff = make_user("canbo", ward, Role.DESK_OFFICER)
    if matched_on == "personal_id":
        staff.personal_id = oidc_settings.claims["personal_id"]
    else:
        staff.email = oidc_settings.claims["email"]
    staff.save()

    with caplog.at_level(logging.WARNING, logger="motcua.portal.oidc"):
        response = sign_in(client, oidc_settings.username, oidc_settings.password)

    assert response.status_code == 302
    assert response["Location"] != MY_DOSSIERS
    assert signed_in_user(client) is None
    assert not User.objects.filter(is_citizen=True).exists()
    assert not AuditEvent.objects.filter(action="citizen.oidc_login").exists()
    assert "staff account" in caplog.text


def test_oidc_never_signs_in_as_an_is_staff_account_without_roles(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    User.objects.create_user("quantri", email=oidc_settings.claims["email"], is_staff=True)

    sign_in(client, oidc_settings.username, oidc_settings.password)

    assert signed_in_user(client) is None
    assert not User.objects.filter(is_citizen=True).exists()


def test_tampered_state_is_rejected(client: Client, oidc_settings: OIDCProvider) -> None:
    callback = authorize_at_provider(
        start_sign_in(client), oidc_settings.username, oidc_settings.password
    )
    tampered = re.sub(r"state=[^&]+", "state=forged-by-an-attacker", callback)
    assert tampered != callback

    response = client.get(tampered)

    assert response.status_code == 302
    assert response["Location"] != MY_DOSSIERS
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert "VNeID" in str(message)


@pytest.mark.parametrize("proof", ["no password", "address proven here"])
def test_a_verified_email_links_an_existing_citizen_account(
    client: Client, oidc_settings: OIDCProvider, proof: str
) -> None:
    existing = User.objects.create_user(
        "hoa.quay",
        email=oidc_settings.claims["email"].upper(),
        password=None if proof == "no password" else "x-Strong-Pass-1",
        email_verified_at=timezone.now() if proof == "address proven here" else None,
        is_citizen=True,
    )

    sign_in(client, oidc_settings.username, oidc_settings.password)

    assert signed_in_user(client) == existing
    existing.refresh_from_db()
    assert existing.personal_id == oidc_settings.claims["personal_id"]


def test_a_verified_email_never_links_a_password_account_whose_address_is_unproven(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    squatter = User.objects.create_user(
        "chiem.dung", email=oidc_settings.claims["email"], password="x-Strong-Pass-1"
    )

    sign_in(client, oidc_settings.username, oidc_settings.password)

    user = signed_in_user(client)
    assert user is not None
    assert user != squatter
    assert user.personal_id == oidc_settings.claims["personal_id"]


def test_an_unverified_email_never_links_an_existing_account(
    client: Client, oidc_settings: OIDCProvider
) -> None:
    email = f"{uuid4().hex[:8]}@example.vn"
    existing = User.objects.create_user("chu.tai.khoan", email=email, is_citizen=True)
    claims = {"name": "Kẻ Mạo Danh", "email": email, "email_verified": False}
    other = oidc_settings.add_user(f"mao-danh-{uuid4().hex[:8]}", claims)

    sign_in(client, other.username, other.password)

    user = signed_in_user(client)
    assert user is not None
    assert user != existing
    assert user.username == f"oidc-{other.claims['sub']}"


def test_an_invalid_personal_id_from_the_provider_is_ignored_not_stored(
    client: Client, oidc_settings: OIDCProvider, caplog: pytest.LogCaptureFixture
) -> None:
    citizen = oidc_settings.add_user(
        f"lan-{uuid4().hex[:8]}", {"name": "Trần Thị Lan", "personal_id": "999303001234"}
    )

    with caplog.at_level(logging.WARNING, logger="motcua.portal.oidc"):
        sign_in(client, citizen.username, citizen.password)

    user = signed_in_user(client)
    assert user is not None
    assert user.is_citizen
    assert user.personal_id is None
    assert user.full_name == "Trần Thị Lan"
    assert "invalid personal id" in caplog.text
    assert "999303001234" not in caplog.text


def test_oidc_sign_in_is_off_until_configured(client: Client, settings: Any) -> None:
    settings.MOTCUA_OIDC_ENABLED = False

    assert client.get("/oidc/authenticate/").status_code == 404


def test_a_broken_sso_configuration_never_blocks_password_sign_in(
    client: Client,
    settings: Any,
    desk_officer: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.MOTCUA_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_OP_JWKS_ENDPOINT = None  # RS256 cannot verify anything without it

    response = client.post(
        "/dang-nhap/", {"username": desk_officer.username, "password": "x-Strong-Pass-1"}
    )

    assert response.status_code == 302
    assert signed_in_user(client) == desk_officer
    assert "misconfigured" in caplog.text

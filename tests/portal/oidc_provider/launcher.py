"""Start and drive the test identity provider from the test process (stdlib and requests).

A browser test signs in through the provider by registering its live server's callback::

    oidc_provider.register_redirect_uri(f"{live_server.url}/oidc/callback/")

and pointing the portal at the provider (the ``oidc_settings`` fixture in
tests/portal/conftest.py does that). Both servers live on 127.0.0.1, so the provider uses
its own cookie names to stay clear of the portal's session.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parents[3]
SETTINGS_MODULE = "tests.portal.oidc_provider.settings"
START_TIMEOUT = 60.0
HTTP_TIMEOUT = 10.0


@dataclass(frozen=True)
class ProviderUser:
    username: str
    password: str
    claims: dict[str, Any]  # as the provider releases them, "sub" included


@dataclass
class OIDCProvider:
    base_url: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    client_id: str
    client_secret: str = field(repr=False)
    admin_token: str = field(repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    claims: dict[str, Any] = field(default_factory=dict)

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = requests.post(
            f"{self.base_url}{path}",
            json=payload,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        return response.json()

    def add_user(self, username: str, claims: dict[str, Any]) -> ProviderUser:
        """A provider account whose sign-in releases ``claims`` (plus its "sub")."""
        password = secrets.token_urlsafe(12)
        answer = self._post(
            "/test-admin/users/", {"username": username, "password": password, "claims": claims}
        )
        return ProviderUser(username, password, {**claims, "sub": answer["sub"]})

    def register_redirect_uri(self, uri: str) -> None:
        """Allow one more callback URL, e.g. a live server's ``…/oidc/callback/``."""
        self._post("/test-admin/redirect-uris/", {"uri": uri})

    def rp_settings(self) -> dict[str, Any]:
        """The portal settings that point it at this provider."""
        return {
            "MOTCUA_OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_endpoint,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def _wait_until_ready(process: subprocess.Popen[bytes], directory: Path) -> str:
    """The provider's base URL once its discovery document answers."""
    deadline = time.monotonic() + START_TIMEOUT
    base_url = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        ready = directory / "ready.json"
        if not base_url and ready.exists():
            base_url = f"http://127.0.0.1:{json.loads(ready.read_text())['port']}"
        if base_url:
            try:
                if requests.get(f"{base_url}/o/.well-known/openid-configuration", timeout=2).ok:
                    return base_url
            except requests.ConnectionError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"test identity provider did not start:\n{_log_tail(directory / 'log')}")


def _describe(base_url: str, client_id: str, client_secret: str, token: str) -> OIDCProvider:
    # Endpoints from the provider's own discovery document, as an operator would copy them.
    meta = requests.get(f"{base_url}/o/.well-known/openid-configuration", timeout=HTTP_TIMEOUT)
    meta.raise_for_status()
    data = meta.json()
    return OIDCProvider(
        base_url=base_url,
        issuer=data["issuer"],
        authorization_endpoint=data["authorization_endpoint"],
        token_endpoint=data["token_endpoint"],
        userinfo_endpoint=data["userinfo_endpoint"],
        jwks_endpoint=data["jwks_uri"],
        client_id=client_id,
        client_secret=client_secret,
        admin_token=token,
    )


@contextmanager
def running_provider(
    redirect_uris: list[str], user: tuple[str, dict[str, Any]] | None = None
) -> Iterator[OIDCProvider]:
    """Run the provider in a subprocess with a fresh database; stop it and clean up after."""
    directory = Path(tempfile.mkdtemp(prefix="motcua-oidc-provider-"))
    client_id, client_secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    token = secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "OIDC_PROVIDER_DIR": str(directory),
        "OIDC_PROVIDER_ADMIN_TOKEN": token,
        "OIDC_PROVIDER_CLIENT_ID": client_id,
        "OIDC_PROVIDER_CLIENT_SECRET": client_secret,
        "OIDC_PROVIDER_REDIRECT_URIS": " ".join(redirect_uris),
    }
    with (directory / "log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.portal.oidc_provider.serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        provider = _describe(_wait_until_ready(process, directory), client_id, client_secret, token)
        if user is not None:
            added = provider.add_user(*user)
            provider.username, provider.password = added.username, added.password
            provider.claims = added.claims
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)

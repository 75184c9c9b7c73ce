# --- Citizen single sign-on: a real OpenID Connect provider (see oidc_provider/launcher.py) ---
from collections.abc import Iterator
from typing import Any

import pytest

from .oidc_provider.launcher import OIDCProvider, running_provider

# Django's test client builds the callback on this host. A browser test registers its own:
# oidc_provider.register_redirect_uri(f"{live_server.url}/oidc/callback/").
TEST_CLIENT_CALLBACK = "http://testserver/oidc/callback/"
OIDC_CITIZEN_CLAIMS = {
    "name": "Nguyễn Thị Hoa",
    "email": "hoa.nguyen@example.vn",
    "email_verified": True,
    "phone_number": "0901234567",
    "personal_id": "079303001234",
}


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OIDCProvider]:
    """django-oauth-toolkit in a subprocess with one citizen (username, password, claims)."""
    with running_provider([TEST_CLIENT_CALLBACK], user=("hoa", OIDC_CITIZEN_CLAIMS)) as provider:
        yield provider


@pytest.fixture
def oidc_settings(settings: Any, oidc_provider: OIDCProvider) -> OIDCProvider:
    """Point the portal's single sign-on at the test provider for one test."""
    for name, value in oidc_provider.rp_settings().items():
        setattr(settings, name, value)
    return oidc_provider


# --- end of citizen single sign-on fixtures ---


# --- Citizens, online procedures and dossiers of the portal tests ---
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import User  # noqa: E402
from motcua.procedures.models import FeeOption, RequiredPaper  # noqa: E402
from tests import sample_files  # noqa: E402
from tests.dossiers.conftest import make_procedure, procedure, staff  # noqa: E402, F401 (fixtures)

PDF = sample_files.PDF
JPEG = sample_files.JPEG


def pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def photo(name: str = "anh-chup.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


@pytest.fixture
def online_procedure(province):  # type: ignore[no-untyped-def]
    online = make_procedure(province, code="1.000656", days="3")
    RequiredPaper.objects.create(procedure=online, order=1, name="Tờ khai đăng ký", originals=1)
    RequiredPaper.objects.create(
        procedure=online, order=2, name="Giấy tờ chứng minh", originals=0, copies=1
    )
    RequiredPaper.objects.create(
        procedure=online, order=3, name="Văn bản ủy quyền", originals=1, optional=True
    )
    FeeOption.objects.create(procedure=online, label="Lệ phí", amount=50_000)
    return online


@pytest.fixture
def citizen(db) -> User:  # type: ignore[no-untyped-def]
    return make_citizen()


def make_citizen() -> User:
    """The demo's citizen, with a confirmed e-mail address."""
    return User.objects.create_user(
        username="cd068090012345",
        password="Cong-Dan-2026!",
        full_name="Trần Văn Bình",
        personal_id="068090012345",
        phone="0912345678",
        email="binh@example.vn",
        is_citizen=True,
        email_verified_at=timezone.now(),
    )

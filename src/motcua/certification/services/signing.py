"""Produce and sign every copy of a certification (run by the background task)."""

import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .. import assembly
from ..models import Certification, CertificationStatus, SigningKey
from ..pki import KeyFileError
from ..signing import SignatureSpec, SigningError, sign_twice
from . import register
from .certify import (
    organisation_key,
    save_copies,
    scans_of,
    signer_key,
    signing_failed,
    statement_date,
)


def run(certification_id: int) -> str:
    token = claim(certification_id)
    if token is None:
        return "skipped"  # signed, failed, or taken by another run
    certification = Certification.objects.select_related(
        "dossier__unit", "dossier__procedure", "register_entry", "signer"
    ).get(pk=certification_id)
    try:
        scans = scans_of(certification.dossier)
        signed = [produce(certification, scans, i) for i in range(1, certification.copies + 1)]
    except (SigningError, KeyFileError, assembly.ScanRefused, OSError, ValueError) as error:
        signing_failed(certification.pk, str(error), token=token)
        return "failed"
    except Exception as error:  # never leave a copy "being signed" forever: show it failed
        signing_failed(certification.pk, f"Lỗi không mong đợi khi ký: {error!r}", token=token)
        raise
    _test_pause(certification.pk)
    if not save_copies(certification, signed, token=token):
        return "skipped"  # the recovery gave this run up and queued another
    return "signed"


def claim(certification_id: int) -> str | None:
    """Take the copy for this run (a conditional UPDATE: one run at a time signs it); counts
    the run and stamps it, so that the crash recovery can tell a run that died."""
    token = secrets.token_hex(16)
    taken = Certification.objects.filter(
        pk=certification_id, status=CertificationStatus.SIGNING, signing_token=""
    ).update(
        signing_token=token,
        signing_claimed_at=timezone.now(),
        signing_attempts=F("signing_attempts") + 1,
    )
    return token if taken else None


def _test_pause(certification_id: int) -> None:
    """Tests only (MOTCUA_TEST_SIGNING_PAUSE_DIR): say "signing" and wait for "release"."""
    folder = settings.MOTCUA_TEST_SIGNING_PAUSE_DIR
    if not folder:
        return
    (Path(folder) / f"signing-{certification_id}").touch()
    while not (Path(folder) / "release").exists():
        time.sleep(0.02)


def produce(
    certification: Certification, scans: list[tuple[bytes, str]], index: int
) -> tuple[bytes, int, str]:
    """One copy: the scan, the statement and QR code on its last page, two signatures."""
    unit = certification.dossier.unit
    unit_settings = register.settings_for(unit)
    copy = assembly.assemble(
        scans,
        statement=assembly.Statement(statement_lines(certification, index)),
        qr_url=verify_url(certification),
    )
    signer = certification.signer
    assert signer is not None
    person = signer_key(signer, certification.dossier)
    organisation = organisation_key(certification.dossier)
    pdf = sign_twice(
        copy.pdf,
        _spec(
            person,
            "ChuKyNguoiChungThuc",
            signer.get_full_name(),
            copy.signer_box,
            f"{certification.signer_title}\n{signer.get_full_name()}",
            unit.name,
        ),
        _spec(
            organisation,
            "ChuKyCoQuan",
            unit.committee_name,
            copy.organisation_box,
            unit.committee_name,
            unit.name,
        ),
        timestamp_url=unit_settings.timestamp_url or None,
    )
    return pdf, copy.pages, hashlib.sha256(pdf).hexdigest()


def _spec(
    key: SigningKey, field: str, name: str, box: Any, stamp: str, place: str
) -> SignatureSpec:
    return SignatureSpec(
        p12_path=key.key_file,
        password=key_password(key),
        field_name=field,
        reason="Chứng thực bản sao đúng với bản chính",
        location=place,
        name=name,
        visible=box,
        stamp_text=stamp,
    )


def key_password(key: SigningKey) -> bytes:
    """From the environment (or, for the demo keys only, the demo setting): never the DB."""
    value = os.environ.get(key.password_env)
    if value is None and key.password_env == "MOTCUA_DEMO_PKI_PASSWORD":
        value = settings.MOTCUA_DEMO_PKI_PASSWORD
    if value is None:
        raise SigningError(
            f"Chưa đặt biến môi trường {key.password_env} chứa mật khẩu tệp khóa {key.p12_path}."
        )
    return value.encode()


def statement_lines(certification: Certification, index: int) -> list[str]:
    entry = certification.register_entry
    unit_settings = register.settings_for(certification.dossier.unit)
    signer = certification.signer
    assert signer is not None and certification.certified_at is not None
    lines = [line.strip() for line in unit_settings.statement.splitlines() if line.strip()]
    lines += [
        f"Số chứng thực: {entry.number}. Quyển số: {entry.volume_label}.",
        statement_date(certification.certified_at),
    ]
    if certification.copies > 1:
        lines.append(f"Bản số {index}/{certification.copies}")
    return [
        *lines,
        "NGƯỜI THỰC HIỆN CHỨNG THỰC",
        certification.signer_title,
        signer.get_full_name(),
    ]


def verify_url(certification: Certification) -> str:
    entry = certification.register_entry
    query = urlencode({"so": f"{entry.number}/{entry.year}", "ma": certification.verify_code})
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{reverse('certification-verify')}?{query}"

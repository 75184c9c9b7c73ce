"""From the checked original to two signed copies that pyHanko and pdfsig both accept."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from motcua.certification.models import Certification, CertificationStatus, CertifiedCopy
from motcua.certification.selectors import check_copy, find_for_verification
from motcua.certification.services import certify
from motcua.certification.services.certify import Original
from motcua.core.models import AuditEvent, OutboxMessage
from motcua.dossiers.models import Status
from motcua.dossiers.services import handling, intake
from motcua.dossiers.services.intake import PaperIn
from tests.dossiers.conftest import new_dossier


def scan_pdf(pages: int = 2) -> bytes:
    body = "".join(
        f'<p style="page-break-after:always">Giấy khai sinh, trang {n}</p>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f'<html lang="vi"><body>{body}</body></html>').write_pdf()


@pytest.fixture
def keys(settings, staff, ward, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)


@pytest.fixture
def at_the_desk(ward, copy_procedure, staff):  # type: ignore[no-untyped-def]
    def make(scan: bytes, name: str = "ban-quet.pdf") -> Certification:  # type: ignore[no-untyped-def]
        upload = SimpleUploadedFile(name, scan, content_type="application/pdf")
        dossier = new_dossier(ward, copy_procedure, staff["desk"])
        from motcua.dossiers.services.intake import _add_papers

        _add_papers(dossier, [PaperIn(name="Bản chính", originals=1, scan=upload)])
        intake.receive(dossier, actor=staff["desk"])
        handling.transfer(dossier, actor=staff["desk"], to_user=staff["justice"])
        return certify.certification_for(dossier, create=True)

    return make


def _check_and_present(certification, staff, pages=2, copies=1):  # type: ignore[no-untyped-def]
    original = Original(
        title="Giấy khai sinh", issuer="UBND phường Phú Thủy", pages=pages, copies=copies
    )
    certify.record_original(certification, actor=staff["justice"], original=original)
    handling.hand_over(certification.dossier, actor=staff["justice"], to_user=staff["chairman"])


def test_the_page_count_of_the_scan_must_match_the_original(at_the_desk, staff):
    certification = at_the_desk(scan_pdf(2))
    with pytest.raises(ValidationError, match="3"):
        certify.record_original(
            certification,
            actor=staff["justice"],
            original=Original(title="Giấy khai sinh", issuer="UBND", pages=3),
        )
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REQUESTED


def test_a_scan_with_javascript_is_refused_with_a_clear_message(at_the_desk, staff):
    writer = PdfWriter(clone_from=io.BytesIO(scan_pdf(1)))
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    certification = at_the_desk(buffer.getvalue(), "co-ma.pdf")
    with pytest.raises(ValidationError, match="JavaScript"):
        certify.record_original(
            certification, actor=staff["justice"], original=Original(title="X", issuer="Y", pages=1)
        )


def test_two_copies_are_numbered_once_signed_twice_each_and_validated_by_pdfsig(
    django_capture_on_commit_callbacks, keys, at_the_desk, staff, tmp_path
):
    certification = at_the_desk(scan_pdf(2))
    _check_and_present(certification, staff, copies=2)
    assert certification.fee == 2 * 4_000
    with django_capture_on_commit_callbacks(execute=True):
        certify.certify(certification, actor=staff["chairman"])
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNED, certification.signing_error
    entry = certification.register_entry
    assert (entry.number, entry.copies, entry.fee) == (1, 2, 8_000)
    copies = list(CertifiedCopy.objects.filter(certification=certification))
    assert [c.index for c in copies] == [1, 2] and all(c.pages == 2 for c in copies)
    dossier = certification.dossier
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.result_file
    assert OutboxMessage.objects.filter(about=f"dossier:{dossier.pk}", kind="result_ready").exists()
    assert AuditEvent.objects.filter(action="certification.signed").exists()

    pdf = copies[0].pdf.read()
    reader = PdfReader(io.BytesIO(pdf))
    last = " ".join(reader.pages[-1].extract_text().split())
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Chứng thực bản sao đúng với bản chính" in last
    assert "Số chứng thực: 1. Quyển số: 01/" in last and "Bản số 1/2" in last
    assert "Chứng thực bản sao" not in first  # the statement is on the last page only

    report = check_copy(certification, pdf)
    assert report.report.ok and report.matches_copy == 1
    names = {(s.signer_name, s.organisation) for s in report.report.signatures}
    assert ("chutich", "Ủy ban nhân dân phường Phú Thuỷ") in names or len(names) == 2

    path = Path(tmp_path) / "ban-sao.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert out.stdout.count("Signature Validation: Signature is Valid.") == 2, out.stdout

    changed = bytearray(pdf)
    spot = pdf.index(b"stream", pdf.index(b"/Contents")) + 20  # inside page content, signed
    changed[spot] ^= 0x01
    path.write_bytes(bytes(changed))
    broken = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." not in broken.stdout
    assert not check_copy(certification, bytes(changed)).report.ok


def test_the_public_lookup_needs_the_number_and_the_code(
    django_capture_on_commit_callbacks, keys, at_the_desk, staff, client
):
    certification = at_the_desk(scan_pdf(1))
    _check_and_present(certification, staff, pages=1)
    with django_capture_on_commit_callbacks(execute=True):
        certify.certify(certification, actor=staff["chairman"])
    certification.refresh_from_db()
    number = f"{certification.register_entry.number}/{certification.register_entry.year}"
    assert find_for_verification(number, certification.verify_code) == certification
    assert find_for_verification(number, "00000000") is None
    page = client.get("/kiem-tra-ban-sao/", {"so": number, "ma": certification.verify_code})
    html = page.content.decode()
    assert "Giấy khai sinh" in html and "Trần Văn Bình" not in html  # no personal data


def test_a_missing_key_password_fails_visibly_and_signing_again_keeps_the_number(
    django_capture_on_commit_callbacks, keys, at_the_desk, staff, settings
):
    certification = at_the_desk(scan_pdf(1))
    _check_and_present(certification, staff, pages=1)
    right = settings.MOTCUA_DEMO_PKI_PASSWORD
    settings.MOTCUA_DEMO_PKI_PASSWORD = "sai-mat-khau"
    with django_capture_on_commit_callbacks(execute=True):
        certify.certify(certification, actor=staff["chairman"])
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNING_FAILED
    assert certification.signing_error and certification.dossier.status == Status.IN_PROGRESS
    assert "mật khẩu" in certification.signing_error
    settings.MOTCUA_DEMO_PKI_PASSWORD = right
    with django_capture_on_commit_callbacks(execute=True):
        certify.retry_signing(certification, actor=staff["chairman"])
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNED
    assert certification.register_entry.number == 1

"""Outgoing documents signed by the leader and, at issue, by the organisation with the number."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from weasyprint import HTML

from motcua.certification.selectors import trust_roots
from motcua.certification.verification import verify_pdf
from motcua.documents.models import DocumentType, OutgoingStatus
from motcua.documents.services import outgoing


@pytest.fixture
def people(people, ward, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The same people, with demo signing keys for the Chairman and the committee."""
    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)
    return people


def pdf_file() -> SimpleUploadedFile:
    pdf = HTML(
        string='<html lang="vi"><body><h1>QUYẾT ĐỊNH</h1><p>Về việc kiện toàn tổ công'
        " tác cải cách hành chính</p></body></html>"
    ).write_pdf()
    return SimpleUploadedFile("quyet-dinh.pdf", pdf, content_type="application/pdf")


def _approved(ward, people):  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"),
        abstract="Về việc kiện toàn tổ công tác",
        file=pdf_file(),
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return document


def test_the_leader_signs_on_approval_and_the_organisation_signs_at_issue(ward, people):
    document = _approved(ward, people)
    report = verify_pdf(document.signed_file.read(), trust_roots(ward))
    assert report.ok and [s.signer_name for s in report.signatures] == ["chutich"]
    outgoing.issue(document, actor=people["clerk"])
    signed = document.signed_file.read()
    report = verify_pdf(signed, trust_roots(ward))
    assert report.ok and len(report.signatures) == 2
    assert document.reference == "01/QĐ-UBND"


def test_a_failed_signature_leaves_the_document_as_it_was(ward, people, settings):
    settings.MOTCUA_DEMO_PKI_PASSWORD = "sai"
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"), abstract="Về việc", file=pdf_file()
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    with pytest.raises(ValidationError, match="mật khẩu"):
        outgoing.approve(document, actor=people["chairman"])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW and not document.signed_file


def test_a_failed_organisation_signature_at_issue_releases_the_number(ward, people, settings):
    document = _approved(ward, people)
    right = settings.MOTCUA_DEMO_PKI_PASSWORD
    settings.MOTCUA_DEMO_PKI_PASSWORD = "sai"
    with pytest.raises(ValidationError):
        outgoing.issue(document, actor=people["clerk"])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED and document.number is None
    settings.MOTCUA_DEMO_PKI_PASSWORD = right
    outgoing.issue(document, actor=people["clerk"])
    assert document.number == 1  # the failed attempt used no number


def test_only_a_pdf_can_be_attached_for_signing(ward, people):
    image = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(ValidationError):
        outgoing.draft(
            ward,
            outgoing.Draft(
                type=DocumentType.objects.get(code="QD"), abstract="Về việc", file=image
            ),
            actor=people["officer"],
        )

"""Issue by e-mail through the official mailbox (real SMTP), and the monthly figures."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from motcua.core.calendar import VN_TZ
from motcua.core.models import OutboxMessage
from motcua.documents import figures
from motcua.documents.models import DocumentType
from motcua.documents.services import incoming, outgoing

PDF = HTML(string="<p>Báo cáo cải cách hành chính</p>").write_pdf()


def _issue(ward, people, *, recipients="", units=(), with_file=False, at=None):  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="CV"),
        abstract="V/v báo cáo cải cách hành chính",
        external_recipients=recipients,
        recipient_units=list(units),
        file=SimpleUploadedFile("bao-cao.pdf", PDF) if with_file else None,
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return outgoing.issue(document, actor=people["clerk"], at=at)


@pytest.mark.django_db(transaction=True)
def test_a_document_issued_to_an_email_address_is_sent_with_its_file(
    ward, people, smtp_server, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)
    document = _issue(
        ward,
        people,
        with_file=True,
        recipients="Sở Nội vụ tỉnh Lâm Đồng <vanthu.snv@lamdong.gov.vn>\nLưu: VT",
    )
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "vanthu.snv@lamdong.gov.vn"
    assert document.reference in mail["Subject"].strip()
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content().startswith(PDF[:8]) and document.signed_file
    assert attachment.get_content() == document.signed_file.read()  # the signed copy
    message = OutboxMessage.objects.get(kind="document_issued")
    assert message.sent_by == people["clerk"] and message.status == "sent"


def test_figures_on_a_known_month(ward, other_ward, people):
    start = datetime(2026, 3, 1, tzinfo=VN_TZ)
    end = datetime(2026, 4, 1, tzinfo=VN_TZ)
    march = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)
    cv = DocumentType.objects.get(code="CV")

    def received(reference: str, via: str, at: datetime = march):  # type: ignore[no-untyped-def]
        data = incoming.IncomingData(
            issuer="UBND tỉnh",
            reference=reference,
            type=cv,
            document_date=date(2026, 3, 9),
            abstract="V/v",
            received_via=via,
        )
        return incoming.register(ward, data, actor=people["clerk"], at=at)

    done = received("1/A", "email")
    received("2/A", "post")
    received("3/A", "electronic")
    received("4/A", "hand", at=datetime(2026, 4, 2, 9, 0, tzinfo=VN_TZ))  # next month
    incoming.direct(
        done,
        leader=people["chairman"],
        lead=people["officer"],
        deadline=timezone.now() + timezone.timedelta(days=3),
    )
    incoming.record_progress(done, actor=people["officer"], note="Xong", done=True)
    _issue(ward, people, units=[other_ward], at=march)
    _issue(ward, people, at=march)

    shares = [f.share for f in figures.month_figures(ward, start, end)][:4]
    assert shares == [figures.Share(2, 3), figures.Share(1, 2), figures.Share(1, 3),
                      figures.Share(0, 2)]  # fmt: skip
    assert figures.outgoing_exchanged_electronically(ward, start, end) == figures.Share(1, 2)
    table = figures.compute([ward.pk], start, end, figures.MONTH_FIGURES)
    assert table.value("docs_in_electronic", ward.pk) == figures.Share(2, 3)
    assert table.value("docs_processed", ward.pk) == figures.Share(1, 3)
    assert table.value("docs_out_electronic", ward.pk) == figures.Share(1, 2)
    assert table.value("docs_signed", ward.pk) == figures.Share(0, 2)
    assert figures.Share(0, 0).ratio is None


def _sent_mail(ward, officer, status="sent"):  # type: ignore[no-untyped-def]
    return OutboxMessage.objects.create(
        unit=ward,
        channel="email",
        recipient="vanthu.snv@lamdong.gov.vn",
        kind="document_issued",
        subject="Văn bản",
        body="…",
        sent_by=officer,
        status=status,
        sent_at=timezone.now() if status == "sent" else None,
    )


def test_the_month_page_shows_every_figure_and_each_officers_mail_use(client, ward, people):
    cv = DocumentType.objects.get(code="CV")
    for reference, via in (("1/A", "email"), ("2/A", "post")):
        data = incoming.IncomingData(
            issuer="UBND tỉnh", reference=reference, type=cv, document_date=date(2026, 3, 9),
            abstract="V/v", received_via=via,
        )  # fmt: skip
        incoming.register(ward, data, actor=people["clerk"])
    _sent_mail(ward, people["officer"])
    _sent_mail(ward, people["officer"])
    _sent_mail(ward, people["clerk"], status="failed")  # not delivered: not a use

    client.force_login(people["chairman"])
    response = client.get(reverse("documents-month"))
    shares = [f.share for f in response.context["figures"]]
    # In: 1 of 2 electronically, 0 handled; out: none issued; 1 of 4 staff active (the clerk
    # who registered), 1 of 4 using the official mailbox (the officer).
    assert shares == [
        figures.Share(1, 2),
        figures.Share(0, 0),
        figures.Share(0, 2),
        figures.Share(0, 0),
        figures.Share(1, 4),
        figures.Share(1, 4),
    ]
    assert response.context["mail_use"][0] == (people["officer"].get_full_name(), 2)
    assert sorted(count for _name, count in response.context["mail_use"]) == [0, 0, 0, 2]
    page = response.content.decode()
    assert "Sổ đăng ký văn bản đến" in page and "mat=1" in page and "50,0%" in page


def test_an_officer_sees_the_registers_but_not_the_figures(client, people):
    client.force_login(people["other"])
    response = client.get(reverse("documents-month"), {"thang": "2026-03"})
    assert response.status_code == 200 and response.context["figures"] == []
    page = response.content.decode()
    assert "thang=2026-03" in page and "mat=1" not in page

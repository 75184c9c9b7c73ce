"""Incoming documents from the official mailbox, read from a real Dovecot IMAP server."""

from email.message import EmailMessage

import pytest

from motcua.core.models import Role
from motcua.documents.models import IncomingDocument, Mailbox
from motcua.documents.services.mailbox import poll
from tests import sample_files
from tests.conftest import make_user
from tests.imap_server import start_imap_server

PDF = sample_files.PDF


@pytest.fixture(scope="module")
def imap():  # type: ignore[no-untyped-def]
    server = start_imap_server({"vanthu@phuthuy.gov.vn": "mat-khau-hop-thu"})
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap, ward, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MOTCUA_TEST_MAILBOX_PASSWORD", "mat-khau-hop-thu")
    make_user("vanthu", ward, Role.CLERK)
    return Mailbox.objects.create(
        unit=ward,
        host=imap.host,
        port=imap.port,
        use_ssl=False,
        username="vanthu@phuthuy.gov.vn",
        password_env="MOTCUA_TEST_MAILBOX_PASSWORD",
    )


def mail(subject: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Văn phòng UBND tỉnh <vanphong@lamdong.gov.vn>"
    message["To"] = "vanthu@phuthuy.gov.vn"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content("Kính gửi UBND phường Phú Thủy, gửi kèm văn bản.")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="Công văn 123.pdf")
    return message.as_bytes()


def test_a_mail_in_the_official_mailbox_becomes_a_numbered_incoming_document(imap, mailbox):
    imap.deliver(
        "vanthu@phuthuy.gov.vn",
        mail("Công văn số 123/UBND-VX về cải cách hành chính", "<a1@lamdong.gov.vn>"),
    )
    found = poll(mailbox)
    assert len(found) == 1
    document = found[0]
    assert document.received_via == "email" and document.reference == "123/UBND-VX"
    assert "vanphong@lamdong.gov.vn" in document.issuer and document.number == 1
    assert "cải cách hành chính" in document.abstract
    attachment = document.files.get()
    assert attachment.name == "Công văn 123.pdf" and attachment.file.read() == PDF
    assert poll(mailbox) == []  # moved out of the inbox once registered


def test_the_same_message_is_never_registered_twice(imap, mailbox):
    raw = mail("Giấy mời họp", "<same@lamdong.gov.vn>")
    imap.deliver("vanthu@phuthuy.gov.vn", raw)
    poll(mailbox)
    imap.deliver("vanthu@phuthuy.gov.vn", raw)  # the sender's server delivered it again
    assert poll(mailbox) == []
    assert IncomingDocument.objects.filter(message_id="<same@lamdong.gov.vn>").count() == 1


def test_a_wrong_password_is_shown_on_the_mailbox_and_registers_nothing(imap, mailbox, monkeypatch):
    monkeypatch.setenv("MOTCUA_TEST_MAILBOX_PASSWORD", "sai")
    assert poll(mailbox) == []
    mailbox.refresh_from_db()
    assert mailbox.last_error and mailbox.last_polled_at


def test_a_mistyped_server_name_is_shown_on_the_mailbox_instead_of_crashing(mailbox):
    mailbox.host = "mail..phuthuy.gov.vn"
    mailbox.save()
    assert poll(mailbox) == []
    mailbox.refresh_from_db()
    assert "mail..phuthuy.gov.vn" in mailbox.last_error and mailbox.last_polled_at

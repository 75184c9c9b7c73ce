"""The ``smtp_server`` fixture: Django's SMTP backend really talks to a local server."""

from smtplib import SMTPResponseException

import pytest
from django.core.mail import send_mail

SUBJECT = "Hồ sơ 000.00.24.H36-260101-0001 đã có kết quả"
BODY = "Kính gửi ông Trần Văn Bình,\nHồ sơ của ông đã có kết quả, mời ông đến nhận.\n"


def test_a_vietnamese_mail_arrives_with_subject_and_body_decoded(smtp_server):
    send_mail(SUBJECT, BODY, "motcua@phuthuy.example.vn", ["binh@example.vn"])

    [message] = smtp_server.wait_for(1)
    # Django folds a long encoded subject onto the next line ("Subject:\n =?utf-8?b?…"), and
    # Python's parser keeps that fold's space; mail clients drop it.
    assert message["Subject"].strip() == SUBJECT
    assert message["To"] == "binh@example.vn"
    assert message.get_content() == BODY


def test_a_rejected_mail_gets_a_temporary_error_and_the_next_one_arrives(smtp_server):
    smtp_server.reject_next(1)

    with pytest.raises(SMTPResponseException) as caught:
        send_mail(SUBJECT, BODY, "motcua@phuthuy.example.vn", ["binh@example.vn"])
    assert caught.value.smtp_code == 451
    send_mail(SUBJECT, BODY, "motcua@phuthuy.example.vn", ["binh@example.vn"])
    assert len(smtp_server.wait_for(1)) == 1


def test_waiting_for_mail_that_never_comes_fails_clearly(smtp_server):
    with pytest.raises(AssertionError, match="0 of 1 messages"):
        smtp_server.wait_for(1, timeout=0.1)

"""The notification outbox: written with the change, delivered after commit over real SMTP and
the SMS provider's HTTP API, retried with backoff, and visible to staff when it fails."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.core.messaging.delivery import deliver, sweep
from motcua.core.messaging.sms_simulator import start_sms_simulator
from motcua.core.models import OutboxMessage, OutboxStatus
from motcua.core.services import outbox
from motcua.core.services.outbox import backoff
from tests.conftest import make_user

CONTEXT = {
    "user": {"get_full_name": "Trần Văn Bình"},
    "code": "123456",
    "public_url": "http://127.0.0.1:8000",
}


@pytest.fixture
def sms(settings):  # type: ignore[no-untyped-def]
    running = start_sms_simulator("khoa", "bi-mat", "UBND-PHUTHUY")
    settings.MOTCUA_SMS_BACKEND, settings.MOTCUA_SMS_URL = "esms", running.base_url
    settings.MOTCUA_SMS_API_KEY, settings.MOTCUA_SMS_SECRET_KEY = "khoa", "bi-mat"
    settings.MOTCUA_SMS_BRANDNAME = "UBND-PHUTHUY"
    yield running
    running.stop()


@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_only_after_its_transaction_commits(smtp_server, sms):
    with transaction.atomic():
        queued = outbox.queue(
            "verify_contact", CONTEXT, email="binh@example.vn", phone="0912 345 678"
        )
        assert smtp_server.messages == [] and sms.messages == []
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "binh@example.vn" and "123456" in mail["Subject"]
    assert "Mã xác thực tài khoản dịch vụ công" in mail.get_content()
    assert sms.messages[0]["Phone"] == "0912345678" and "123456" in sms.messages[0]["Content"]
    assert sms.messages[0]["Content"].isascii()  # SMS without diacritics
    assert {m.status for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in queued])} == {
        OutboxStatus.SENT
    }


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
        raise RuntimeError("the state change failed")
    assert not OutboxMessage.objects.exists() and smtp_server.messages == []


def test_a_temporary_smtp_failure_is_retried_later_with_growing_waits(db, smtp_server, settings):
    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS = 60
    [message] = outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    smtp_server.reject_next(2)
    assert deliver(message.pk) == OutboxStatus.PENDING
    message.refresh_from_db()
    assert message.attempts == 1 and "451" in message.last_error
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=55) < wait <= timedelta(seconds=60)
    assert deliver(message.pk) == "skipped"  # not due yet: nothing is sent early
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert sweep() == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at - timezone.now() > timedelta(
        seconds=115
    )
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    call_command("send_outbox")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 3
    assert len(smtp_server.wait_for(1)) == 1  # delivered once, not three times
    assert backoff(1) == timedelta(seconds=60) and backoff(3) == timedelta(seconds=240)


def test_a_permanent_sms_failure_is_shown_to_staff_who_can_send_it_again(
    db, sms, settings, client, ward
):
    settings.MOTCUA_SMS_API_KEY = "sai-khoa"
    [message] = outbox.queue("verify_contact", CONTEXT, phone="0912345678", unit=ward)
    assert deliver(message.pk) == OutboxStatus.FAILED
    officer = make_user("motcua", ward, "desk_officer")
    client.force_login(officer)
    page = client.get("/mot-cua/tin-nhan/").content.decode()
    assert "0912345678" in page and "101" in page
    settings.MOTCUA_SMS_API_KEY = "khoa"
    client.post(f"/mot-cua/tin-nhan/{message.pk}/gui-lai/")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    assert deliver(message.pk) == OutboxStatus.SENT and len(sms.messages) == 1


def test_sms_retries_stop_after_the_last_attempt(db, sms, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 2
    sms.fail_next(5, "503")
    [message] = outbox.queue("verify_contact", CONTEXT, phone="0912345678")
    assert deliver(message.pk) == OutboxStatus.PENDING
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver(message.pk) == OutboxStatus.FAILED


def test_two_workers_never_send_the_same_message(db, smtp_server):
    [message] = outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now()
    )
    assert deliver(message.pk) == "skipped"
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=11)
    )  # a worker died mid-send
    assert sweep() == 1 and len(smtp_server.wait_for(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_task_backend_delivers_through_a_real_worker(smtp_server, settings):
    """The default backend: the message waits in the task table until `db_worker` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    assert smtp_server.messages == []
    call_command("db_worker", "--batch", "--no-startup-delay")  # same test database
    assert len(smtp_server.wait_for(1)) == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT

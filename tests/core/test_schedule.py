"""Periodic jobs: queued when due, once per period however many schedulers run, and really run
(outbox sweep over real SMTP, mailbox polling against a real Dovecot IMAP server)."""

import io
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.core.messaging.delivery import deliver
from motcua.core.models import OutboxMessage, OutboxStatus, PeriodicRun, Role
from motcua.core.schedule import (
    AUDIT_CHECKPOINT,
    ESCALATION,
    FIGURE_SUMMARIES,
    HISTORY_PARTITIONS,
    JOBS,
    MAILBOX_POLL,
    MONTHLY_REPORTS,
    ORPHANS,
    OUTBOX_SWEEP,
    PORTAL_INBOX,
    RECOVERY,
    VISITS,
    enqueue_due,
)
from motcua.core.services import outbox
from motcua.documents.catalogue import ensure_document_types
from motcua.documents.models import IncomingDocument, Mailbox
from tests.conftest import make_user
from tests.imap_server import start_imap_server

ALL = [OUTBOX_SWEEP, MAILBOX_POLL, VISITS, MONTHLY_REPORTS, ESCALATION, RECOVERY, ORPHANS,
       AUDIT_CHECKPOINT, PORTAL_INBOX, HISTORY_PARTITIONS, FIGURE_SUMMARIES]  # fmt: skip
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _intervals(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # the orphan sweep runs: never on real files
    settings.MOTCUA_ORPHAN_DIR = tmp_path / "orphans"
    settings.MOTCUA_OUTBOX_SWEEP_SECONDS = 60
    settings.MOTCUA_MAILBOX_POLL_SECONDS = 300


def queued(name: str) -> int:
    """How many runs of ``name`` the database task backend holds."""
    return DBTaskResult.objects.filter(task_path=JOBS[name].task).count()


def last_enqueued(name: str):  # type: ignore[no-untyped-def]
    return PeriodicRun.objects.get(name=name).last_enqueued_at


def test_a_job_is_queued_when_due_and_not_again_within_its_interval(db):
    start = timezone.now()
    assert enqueue_due(start) == ALL  # never run before: all are due at once
    assert enqueue_due(start + timedelta(seconds=59)) == []
    assert enqueue_due(start + timedelta(seconds=60)) == [OUTBOX_SWEEP]
    assert enqueue_due(start + timedelta(seconds=299)) == [OUTBOX_SWEEP]
    assert enqueue_due(start + timedelta(seconds=300)) == [
        MAILBOX_POLL,
        VISITS,
        RECOVERY,
        PORTAL_INBOX,
        FIGURE_SUMMARIES,
    ]
    assert last_enqueued(OUTBOX_SWEEP) == start + timedelta(seconds=299)
    assert last_enqueued(MAILBOX_POLL) == start + timedelta(seconds=300)
    # The ImmediateBackend ran them: the outcome is kept for the administrator.
    assert "0" in PeriodicRun.objects.get(name=OUTBOX_SWEEP).last_result


def test_the_intervals_come_from_the_settings(db, settings):
    settings.MOTCUA_OUTBOX_SWEEP_SECONDS = 10
    start = timezone.now()
    enqueue_due(start)
    assert enqueue_due(start + timedelta(seconds=10)) == [OUTBOX_SWEEP]


def test_a_scheduler_down_for_hours_queues_one_run_not_one_per_missed_period(db):
    start = timezone.now()
    enqueue_due(start)
    assert enqueue_due(start + timedelta(days=2)) == ALL  # the daily audit checkpoint too
    assert enqueue_due(start + timedelta(days=2, seconds=1)) == []


def test_a_stamp_from_a_clock_set_far_ahead_does_not_stop_the_job_forever(db):
    start = timezone.now()
    enqueue_due(start + timedelta(days=3))  # the server's clock was days ahead
    assert enqueue_due(start) == ALL


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_claiming_the_same_period_queue_it_once(settings):
    settings.TASKS = DATABASE_TASKS
    start = timezone.now()
    assert enqueue_due(start) == ALL
    assert enqueue_due(start) == []  # the second scheduler, same moment
    assert enqueue_due(start + timedelta(seconds=2)) == []  # or with its clock a bit ahead
    assert queued(OUTBOX_SWEEP) == 1 and queued(MAILBOX_POLL) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_queue_each_job_once_per_period(settings):
    """Eight schedulers check at the same moment: each job is queued exactly once."""
    settings.TASKS = DATABASE_TASKS
    start = timezone.now()
    barrier = threading.Barrier(8)
    results: list[list[str]] = []
    errors: list[Exception] = []

    def scheduler(skew: int) -> None:
        try:
            barrier.wait(5)
            results.append(enqueue_due(start + timedelta(milliseconds=skew)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(n * 100,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(name for names in results for name in names) == sorted(ALL)
    assert queued(OUTBOX_SWEEP) == 1 and queued(MAILBOX_POLL) == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_still_waiting_for_the_worker_is_not_queued_again(settings):
    """A stopped worker finds one run per job waiting, not one per period; its outcome is kept."""
    settings.TASKS = DATABASE_TASKS
    start = timezone.now()
    enqueue_due(start)
    assert enqueue_due(start + timedelta(hours=1)) == []  # the worker has not run them yet
    assert queued(OUTBOX_SWEEP) == 1 and queued(MAILBOX_POLL) == 1
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert enqueue_due(start + timedelta(days=1)) == ALL
    assert queued(OUTBOX_SWEEP) == 2 and queued(MAILBOX_POLL) == 2
    sweep, poll, visits, reports, escalated, recovered, orphans, audited, inbox, parts, made = (
        PeriodicRun.objects.get(name=name).last_result for name in ALL
    )
    assert "0" in sweep and "0" in poll  # nothing to send, no mailbox configured
    assert visits.startswith("xong: 0 lượt truy cập")  # no website visited
    assert reports == "xong: đã gửi 0 báo cáo tháng"  # no unit with a leader
    assert escalated == "xong: đã báo lãnh đạo 0 nhiệm vụ quá hạn"
    assert recovered.startswith("xong: 0 ") and orphans.startswith("xong: 0 ")
    assert audited.startswith("xong: Nhật ký hệ thống còn nguyên vẹn")
    assert inbox == "xong: 0 hồ sơ mới, 0 trùng, 0 lỗi"  # no inbound portal configured
    assert parts == "xong: đã tạo 0 phân vùng lịch sử"  # the migration made this year's, next's
    assert made.startswith("xong: đã đọc ") and "bản tổng hợp số liệu" in made


def test_a_job_that_could_not_be_queued_is_tried_again_at_the_next_check(db, settings, caplog):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["elsewhere"],  # misconfigured: no backend serves the default queue
        }
    }
    start = timezone.now()
    assert enqueue_due(start) == []
    assert last_enqueued(OUTBOX_SWEEP) is None and "outbox_sweep" in caplog.text
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert enqueue_due(start + timedelta(seconds=5)) == ALL


CONTEXT = {
    "user": {"get_full_name": "Trần Văn Bình"},
    "code": "123456",
    "public_url": "http://127.0.0.1:8000",
}


def test_the_outbox_sweep_job_retries_a_due_failed_message_over_smtp(db, smtp_server):
    [message] = outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    smtp_server.reject_next(1)
    assert deliver(message.pk) == OutboxStatus.PENDING  # 451: try again in a minute
    start = timezone.now()
    assert OUTBOX_SWEEP in enqueue_due(start)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and smtp_server.messages == []  # not yet due
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert enqueue_due(start + timedelta(seconds=60)) == [OUTBOX_SWEEP]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert smtp_server.wait_for(1)[0]["To"] == "binh@example.vn"
    assert "1" in PeriodicRun.objects.get(name=OUTBOX_SWEEP).last_result


USER, PASSWORD = "vanthu@phuthuy.gov.vn", "mat-khau-hop-thu"


@pytest.fixture(scope="module")
def imap():  # type: ignore[no-untyped-def]
    server = start_imap_server({USER: PASSWORD})
    yield server
    server.stop()


@pytest.fixture
def mailboxes(db, imap, ward, other_ward, province, monkeypatch):  # type: ignore[no-untyped-def]
    """The province's mailbox has a host typo, the ward's a wrong password; the other ward's
    works. The broken ones come first, so a failure that stopped the loop would show."""
    ensure_document_types()
    monkeypatch.setenv("MOTCUA_TEST_SCHEDULE_PASSWORD", PASSWORD)
    monkeypatch.setenv("MOTCUA_TEST_SCHEDULE_WRONG", "sai-mat-khau")
    for unit in (province, ward, other_ward):
        make_user(f"vanthu-{unit.code}", unit, Role.CLERK)

    def mailbox(unit, password_env, host=imap.host):  # type: ignore[no-untyped-def]
        return Mailbox.objects.create(
            unit=unit,
            host=host,
            port=imap.port,
            use_ssl=False,
            username=USER,
            password_env=password_env,
        )

    return {
        "typo": mailbox(province, "MOTCUA_TEST_SCHEDULE_PASSWORD", host="mail..phuthuy.gov.vn"),
        "wrong": mailbox(ward, "MOTCUA_TEST_SCHEDULE_WRONG"),
        "good": mailbox(other_ward, "MOTCUA_TEST_SCHEDULE_PASSWORD"),
    }


def mail(subject: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Văn phòng UBND tỉnh <vanphong@lamdong.gov.vn>"
    message["To"] = USER
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content("Kính gửi UBND phường Phan Thiết.")
    return message.as_bytes()


def test_the_mailbox_job_registers_mail_and_one_broken_mailbox_does_not_stop_the_others(
    imap, mailboxes, other_ward
):
    imap.deliver(USER, mail("Công văn số 45/UBND-VP về lịch tiếp công dân", "<s1@lamdong.gov.vn>"))
    assert MAILBOX_POLL in enqueue_due(timezone.now())
    document = IncomingDocument.objects.get(message_id="<s1@lamdong.gov.vn>")
    assert document.unit == other_ward and document.reference == "45/UBND-VP"
    for mailbox in mailboxes.values():
        mailbox.refresh_from_db()
        assert mailbox.last_polled_at is not None
    assert mailboxes["good"].last_error == ""
    assert mailboxes["wrong"].last_error  # login refused, shown to the clerk
    assert "UnicodeError" in mailboxes["typo"].last_error  # not a MailboxError, still kept
    assert "1" in PeriodicRun.objects.get(name=MAILBOX_POLL).last_result


def test_an_inactive_mailbox_is_not_polled(imap, mailboxes):
    Mailbox.objects.exclude(pk=mailboxes["good"].pk).update(is_active=False)
    enqueue_due(timezone.now())
    assert Mailbox.objects.filter(last_polled_at__isnull=False).get() == mailboxes["good"]


def test_run_schedule_once_queues_what_is_due(db):
    out = io.StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert ", ".join(ALL) in out.getvalue()
    assert all(last_enqueued(name) is not None for name in ALL)
    out = io.StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert out.getvalue() == ""  # nothing due a moment later


def child_database_url() -> str:
    """The test database as a DATABASE_URL, for a `manage.py` run in a child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or ''}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_run_schedule_checks_until_sigterm_then_exits_cleanly():
    env = os.environ | {"DATABASE_URL": child_database_url()}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_schedule", "--interval", "0.2"],
        cwd=django_settings.PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while PeriodicRun.objects.filter(last_enqueued_at__isnull=False).count() < len(ALL):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "queued: " + ", ".join(ALL) in out
    assert "Scheduler stopped." in out

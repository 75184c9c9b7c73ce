"""A signing worker killed mid-copy: the recovery job finds the copy stale, a new worker signs it
once under the same register number, and the dead task is never run again."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.certification.models import (
    Certification,
    CertificationStatus,
    CertifiedCopy,
    RegisterEntry,
)
from motcua.certification.recovery import recover_one
from motcua.certification.services import certify, signing
from motcua.certification.services.certify import Original
from motcua.core.models import AuditEvent
from motcua.core.recovery import recover_stale_jobs, stale_after
from motcua.dossiers.services import handling, intake
from motcua.dossiers.services.intake import PaperIn
from tests.certification.test_certify import scan_pdf
from tests.core.test_schedule import child_database_url
from tests.dossiers.conftest import new_dossier

SIGN_TASK = "motcua.certification.tasks.sign_certification"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 90) -> float:
    """Poll ``condition`` (no fixed sleep decides anything); returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"timed out waiting for {what}"
        time.sleep(0.05)
    return time.monotonic() - start


@pytest.fixture
def presented(settings, staff, ward, copy_procedure, tmp_path):  # type: ignore[no-untyped-def]
    """A checked original presented to the chairman, keys and files under ``tmp_path``."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)

    def make(copies: int = 1) -> Certification:
        upload = SimpleUploadedFile("ban-quet.pdf", scan_pdf(2), content_type="application/pdf")
        dossier = new_dossier(ward, copy_procedure, staff["desk"])
        intake._add_papers(dossier, [PaperIn(name="Bản chính", originals=1, scan=upload)])
        intake.receive(dossier, actor=staff["desk"])
        handling.transfer(dossier, actor=staff["desk"], to_user=staff["justice"])
        certification = certify.certification_for(dossier, create=True)
        original = Original(title="Giấy khai sinh", issuer="UBND", pages=2, copies=copies)
        certify.record_original(certification, actor=staff["justice"], original=original)
        handling.hand_over(dossier, actor=staff["justice"], to_user=staff["chairman"])
        return certification

    return make


def worker_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = os.environ | {
        "DATABASE_URL": child_database_url(),
        "MOTCUA_VAR_DIR": str(django_settings.VAR_DIR),  # where the keys were made
        "MOTCUA_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        **extra,
    }
    env.pop("MOTCUA_TASKS_BACKEND", None)  # the database backend, as in production
    return env


def sign_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=SIGN_TASK).order_by("enqueued_at"))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_signing_is_recovered_and_the_copy_signed_once(
    presented, settings, staff, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    certification = presented(copies=2)
    certify.certify(certification, actor=staff["chairman"])  # commits: the task is queued
    number = RegisterEntry.objects.get(certification=certification).number
    [dead_task] = sign_tasks()
    pause = tmp_path / "pause"
    pause.mkdir()
    started = time.monotonic()
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=django_settings.PROJECT_DIR,
        env=worker_env(tmp_path, MOTCUA_TEST_SIGNING_PAUSE_DIR=str(pause)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        to_signing = wait_until(
            lambda: (pause / f"signing-{certification.pk}").exists() or worker.poll() is not None,
            "the worker to sign",
        )
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
        worker.send_signal(signal.SIGKILL)  # both copies signed in memory, none saved
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL
    certification.refresh_from_db()
    dead_task.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNING
    assert dead_task.status == TaskResultStatus.RUNNING  # what the issue saw: stuck for ever
    assert not CertifiedCopy.objects.filter(certification=certification).exists()

    # The recovery job, as run by the scheduler once the timeout has passed.
    later = timezone.now() + max(stale_after("signing"), stale_after("task")) + timedelta(seconds=1)
    recovery_started = time.monotonic()
    found = recover_stale_jobs(later)
    recovery_took = time.monotonic() - recovery_started
    assert found.requeued == [f"certification:{certification.pk}"]
    assert found.failed == [f"task:{dead_task.pk}"]
    assert recover_stale_jobs(later).requeued == []  # exactly once
    dead_task.refresh_from_db()
    assert dead_task.status == TaskResultStatus.FAILED
    assert dead_task.exception_class_path == "motcua.core.recovery.WorkerLost"

    second = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--batch", "--no-startup-delay"],
        cwd=django_settings.PROJECT_DIR,
        env=worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    second_took = time.monotonic() - second
    assert done.returncode == 0, done.stderr

    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNED, certification.signing_error
    assert certification.signing_attempts == 2
    entries = RegisterEntry.objects.filter(unit=certification.dossier.unit)
    assert [(e.certification_id, e.number) for e in entries] == [(certification.pk, number)]
    copies = list(CertifiedCopy.objects.filter(certification=certification))
    assert [c.index for c in copies] == [1, 2]
    folder = Path(settings.MEDIA_ROOT) / "certification"
    stored = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert stored == sorted(Path(c.pdf.name).name for c in copies)  # one file per copy
    assert AuditEvent.objects.filter(action="certification.signed").count() == 1
    assert AuditEvent.objects.filter(action="certification.signing_recovered").count() == 1
    assert AuditEvent.objects.filter(action="recovery.task_failed").count() == 1
    tasks = sign_tasks()
    assert [t.status for t in tasks] == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    assert len(tasks[0].worker_ids) == 1 and tasks[1].return_value == "signed"
    print(
        f"\ncrash recovery: worker start→mid-signing {to_signing:.1f}s, recovery "
        f"{recovery_took * 1000:.0f} ms, second worker {second_took:.1f}s, "
        f"total {time.monotonic() - started:.1f}s ({django_settings.DATABASES['default']['ENGINE']})"  # noqa: E501
    )


def stale_copy(presented, staff, token: str = "dead-run", attempts: int = 1):  # type: ignore[no-untyped-def]
    """A copy a worker took and then died with: "signing", its claim an hour old."""
    certification = presented()
    certify.certify(certification, actor=staff["chairman"])
    Certification.objects.filter(pk=certification.pk).update(
        signing_token=token,
        signing_attempts=attempts,
        signing_claimed_at=timezone.now() - timedelta(hours=1),
    )
    certification.refresh_from_db()
    return certification


def test_two_recoveries_of_the_same_stale_copy_queue_one_rerun(
    presented, staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    certification = stale_copy(presented, staff)
    DBTaskResult.objects.all().delete()
    # Two schedulers read the same stale row, then both try to recover it.
    first, second = (Certification.objects.get(pk=certification.pk) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_one(first, timezone.now()) is True
        assert recover_one(second, timezone.now()) is False
    assert len(sign_tasks()) == 1
    assert AuditEvent.objects.filter(action="certification.signing_recovered").count() == 1
    certification.refresh_from_db()
    assert (certification.status, certification.signing_token) == (CertificationStatus.SIGNING, "")


def test_a_copy_whose_signing_stopped_too_often_is_failed_with_the_reason(
    presented, staff, settings
):
    settings.MOTCUA_STALE_MAX_ATTEMPTS = 3
    certification = stale_copy(presented, staff, attempts=3)
    found = recover_stale_jobs()
    assert found.failed == [f"certification:{certification.pk}"] and found.requeued == []
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNING_FAILED
    assert "3" in certification.signing_error
    assert AuditEvent.objects.filter(action="certification.signing_recovery_failed").count() == 1
    # A leader can retry it, with the same register number.
    number = certification.register_entry.number
    certify.retry_signing(certification, actor=staff["chairman"])
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNING
    assert certification.register_entry.number == number


def test_a_run_the_recovery_gave_up_on_saves_nothing(presented, staff):
    certification = stale_copy(presented, staff, token="slow-run")
    assert recover_one(certification, timezone.now())
    successor = signing.claim(certification.pk)
    assert successor is not None and signing.claim(certification.pk) is None  # one run at once
    certification.refresh_from_db()
    assert certify.save_copies(certification, [(b"%PDF-1.7", 1, "")], token="slow-run") is False
    certify.signing_failed(certification.pk, "late error of the slow run", token="slow-run")
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.SIGNING  # the successor's work is intact
    assert not CertifiedCopy.objects.filter(certification=certification).exists()


def test_a_copy_still_waiting_for_a_worker_is_not_queued_again(presented, staff, settings):
    settings.TASKS = DATABASE_TASKS
    certification = presented()
    certify.certify(certification, actor=staff["chairman"])
    certify.enqueue_signing(certification.pk)  # what the commit hook does
    Certification.objects.filter(pk=certification.pk).update(
        signing_claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert recover_stale_jobs().requeued == []
    assert len(sign_tasks()) == 1

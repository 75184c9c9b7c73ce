"""Crash recovery of the core: task rows a dead worker left RUNNING, messages left "sending",
and stored files no row refers to."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core.messaging.delivery import recover_stale_sending
from motcua.core.models import AuditEvent, OutboxMessage, OutboxStatus
from motcua.core.orphans import scanned_fields, sweep_orphans
from motcua.core.recovery import fail_stale_task_results
from motcua.core.services import outbox
from motcua.core.tasks import sweep_outbox
from motcua.dossiers.models import DossierPaper
from motcua.dossiers.services.intake import PaperIn, _add_papers
from tests.dossiers.conftest import make_procedure, new_dossier, staff  # noqa: F401
from tests.sample_files import pdf_bytes

CONTEXT = {"code": "123456"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running_task(settings, started_ago: timedelta) -> DBTaskResult:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_TASKS
    result = sweep_outbox.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("dead-worker")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - started_ago)
    return row


def test_a_task_left_running_by_a_dead_worker_is_marked_failed_once(db, settings):
    settings.MOTCUA_STALE_AFTER = {**settings.MOTCUA_STALE_AFTER, "task": 600}
    dead = running_task(settings, timedelta(hours=2))
    alive = running_task(settings, timedelta(seconds=5))
    now = timezone.now()
    assert fail_stale_task_results(now) == [f"task:{dead.pk}"]
    assert fail_stale_task_results(now) == []  # a second recovery finds nothing
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED and "dừng đột ngột" in dead.traceback
    assert alive.status == TaskResultStatus.RUNNING
    assert AuditEvent.objects.filter(action="recovery.task_failed").count() == 1


def sending_message(minutes_ago: int, attempts: int = 0) -> OutboxMessage:
    [message] = outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        attempts=attempts,
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return OutboxMessage.objects.get(pk=message.pk)


def test_a_message_left_sending_is_queued_again_once(db, settings):
    settings.MOTCUA_STALE_AFTER = {**settings.MOTCUA_STALE_AFTER, "sending": 600}
    stale, recent = sending_message(30), sending_message(1)
    now = timezone.now()
    assert recover_stale_sending(now).requeued == [f"outbox:{stale.pk}"]
    assert recover_stale_sending(now).requeued == []
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert (stale.status, stale.attempts) == (OutboxStatus.PENDING, 1)
    assert recent.status == OutboxStatus.SENDING
    assert AuditEvent.objects.filter(action="outbox.recovered").count() == 1


def test_a_message_whose_sender_died_on_the_last_attempt_fails_with_the_reason(db, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 2
    message = sending_message(30, attempts=1)
    assert recover_stale_sending(timezone.now()).failed == [f"outbox:{message.pk}"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and "dừng đột ngột" in message.last_error


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_ORPHAN_DIR = tmp_path / "orphans"
    settings.MOTCUA_ORPHAN_GRACE_SECONDS = 3600
    return Path(settings.MEDIA_ROOT)


def aged(path: Path, hours: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(b"%PDF-1.4 orphan")
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def test_the_sweep_reads_every_file_field_of_every_model():
    fields = {(f.model, f.field): f.folder for f in scanned_fields()}
    assert fields[("dossiers.DossierPaper", "scan")] == "dossiers/papers"
    assert fields[("certification.CertifiedCopy", "pdf")] == "certification"
    assert fields[("reports.ReportDelivery", "pdf")] == ""  # computed: not swept, still read


def test_a_receipt_rolled_back_after_writing_its_scan_leaves_an_orphan_that_is_swept(
    media,
    province,
    ward,
    staff,  # noqa: F811
    settings,
):
    procedure = make_procedure(province)
    dossier = new_dossier(ward, procedure, staff["desk"])
    upload = SimpleUploadedFile("giay-to.pdf", pdf_bytes(1), content_type="application/pdf")
    _add_papers(dossier, [PaperIn(name="Giữ lại", originals=1, scan=upload)])
    kept = media / DossierPaper.objects.exclude(scan="").get().scan.name
    with pytest.raises(RuntimeError), transaction.atomic():  # the receipt crashed mid-way
        lost = SimpleUploadedFile("mat.pdf", pdf_bytes(2), content_type="application/pdf")
        _add_papers(dossier, [PaperIn(name="Mất", originals=1, scan=lost)])
        raise RuntimeError("killed before commit")
    written = {p for p in (media / "dossiers").rglob("*") if p.is_file()}
    [orphan] = written - {kept}
    attached = aged(media / "documents/outgoing/2026/gui-kem.pdf", 2)
    outbox.queue("verify_contact", CONTEXT, email="binh@example.vn")
    OutboxMessage.objects.update(attachments=[attached.relative_to(media).as_posix()])
    elsewhere = aged(media / "not-ours/readme.txt", 2)

    assert sweep_orphans().moved == []  # within the grace period: maybe a receipt in progress
    aged(orphan, 2)
    aged(kept, 2)
    swept = sweep_orphans()
    assert swept.moved == [orphan.relative_to(media).as_posix()]
    assert not orphan.exists() and (settings.MOTCUA_ORPHAN_DIR / swept.moved[0]).exists()
    assert kept.exists() and attached.exists() and elsewhere.exists()
    assert sweep_orphans().moved == []

"""Copies left "being signed" by a worker that died (see ``motcua.core.recovery``).

A stale copy keeps its register number: it is signed again under the same number and date, by
a new task, once the old claim is released; after ``MOTCUA_STALE_MAX_ATTEMPTS`` runs that never
finished it is shown as "signing failed" with the reason, and a leader can retry it.
"""

from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.recovery import Recovered, max_attempts, stale_after
from motcua.core.services import audit

from .models import Certification, CertificationStatus


def recover_stale_signing(now: datetime) -> Recovered:
    cutoff = now - stale_after("signing")
    stale = Certification.objects.filter(
        Q(signing_claimed_at__lt=cutoff) | Q(signing_claimed_at__isnull=True),
        status=CertificationStatus.SIGNING,
    ).select_related("dossier__unit")
    found = Recovered()
    for item in stale:
        if not item.signing_token and _still_queued(item.pk):
            continue  # no worker took it yet (workers stopped): its task is waiting, not lost
        if recover_one(item, now):
            target = found.failed if _gives_up(item) else found.requeued
            target.append(f"certification:{item.pk}")
    return found


def _still_queued(certification_id: int) -> bool:
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="motcua.certification.tasks.sign_certification",
        status=TaskResultStatus.READY,
        args_kwargs__args__0=certification_id,
    ).exists()


def _gives_up(item: Certification) -> bool:
    return item.signing_attempts >= max_attempts()


def recover_one(item: Certification, now: datetime) -> bool:
    """Compare-and-set on the stale claim as read: True when this call recovered it."""
    from .services.certify import enqueue_signing

    before = {
        "signing_claimed_at": str(item.signing_claimed_at),
        "signing_token": item.signing_token,
        "signing_attempts": item.signing_attempts,
    }
    same_claim = Certification.objects.filter(
        pk=item.pk,
        status=CertificationStatus.SIGNING,
        signing_token=item.signing_token,
        signing_claimed_at=item.signing_claimed_at,
    )
    with transaction.atomic():
        if _gives_up(item):
            reason = _(
                "The signing stopped %(attempts)d time(s) without finishing (the signing "
                "process was stopped); try again."
            ) % {"attempts": item.signing_attempts}
            taken = same_claim.update(
                status=CertificationStatus.SIGNING_FAILED, signing_error=reason, signing_token=""
            )
            action = "certification.signing_recovery_failed"
        else:
            reason = _(
                "The signing process stopped before finishing; signed again with the same "
                "register number."
            )
            taken = same_claim.update(signing_token="", signing_claimed_at=now)
            action = "certification.signing_recovered"
        if not taken:
            return False  # finished meanwhile, or another recovery took it
        audit.record(
            actor=None,
            action=action,
            unit=item.dossier.unit,
            obj=item,
            before=before,
            after={"status": CertificationStatus.SIGNING_FAILED if _gives_up(item) else "signing"},
            reason=reason,
        )
        if not _gives_up(item):
            transaction.on_commit(lambda: enqueue_signing(item.pk))
    return True

"""Dossiers that arrive through the portal: online submission and online supplements."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.models import AdministrativeUnit, Role, RoleAssignment, User
from motcua.core.services import audit, outbox
from motcua.procedures.models import OnlineLevel, Procedure, RequiredPaper

from ..models import (
    ELECTRONIC_CHANNELS,
    DeliveryMethod,
    Dossier,
    DossierPaper,
    EventKind,
    Status,
    SupplementRequest,
)
from ..workflow import TransitionRefused
from .common import TRACKED, about, changed, log, notify, now_or, transition
from .intake import Applicant, check_published, default_fee


@dataclass
class OnlinePaper:
    """An uploaded file, already checked by content, for one required paper (or extra)."""

    name: str
    file: File
    sha256: str
    required_paper: RequiredPaper | None = None


@transaction.atomic
def submit_online(
    *,
    actor: User,
    unit: AdministrativeUnit,
    procedure: Procedure,
    channel: str,
    applicant: Applicant,
    papers: list[OnlinePaper],
    delivery_method: str = DeliveryMethod.DESK,
    delivery_address: str = "",
    at: datetime | None = None,
) -> Dossier:
    """A complete online application becomes a dossier waiting for the desk (status pending)."""
    at = now_or(at)
    if channel not in ELECTRONIC_CHANNELS:
        raise ValidationError(_("Only online dossiers are submitted here."))
    check_published(procedure, unit)
    if procedure.online_level == OnlineLevel.NONE:
        raise ValidationError(_("This procedure cannot be submitted online."))
    dossier = Dossier(
        unit=unit,
        procedure=procedure,
        channel=channel,
        status=Status.PENDING,
        created_by=actor,
        fee_due=default_fee(procedure),
        delivery_method=delivery_method,
        delivery_address=delivery_address,
        **applicant.dossier_fields(),
    )
    dossier.full_clean(exclude=["code"])
    dossier.save()
    for paper in papers:
        _save_paper(dossier, paper)
    audit.record(
        actor=actor,
        action="dossier.submit_online",
        unit=unit,
        obj=dossier,
        after=audit.snapshot(dossier, [*TRACKED, "channel", "applicant_user"]),
    )
    changed(dossier, "submit", actor)
    bring = procedure.papers.filter(originals__gt=0, optional=False)
    notify(dossier, "submitted", submitted_at=at, bring=list(bring))
    _tell_desk(dossier, "online_submitted", submitted_at=at)
    return dossier


def _save_paper(
    dossier: Dossier, paper: OnlinePaper, supplement: SupplementRequest | None = None
) -> DossierPaper:
    row = DossierPaper(
        dossier=dossier,
        name=paper.name,
        required_paper=paper.required_paper,
        copies=1,
        scan_sha256=paper.sha256,
        supplement=supplement,
    )
    paper.file.seek(0)
    row.scan.save((paper.file.name or "scan").rsplit("/", 1)[-1], paper.file, save=False)
    row.save()
    return row


def _tell_desk(dossier: Dossier, kind: str, **context: object) -> None:
    """Messages to the unit's desk officers who have an e-mail address."""
    officers = RoleAssignment.objects.filter(
        unit=dossier.unit, role=Role.DESK_OFFICER, is_active=True
    ).select_related("user")
    for assignment in officers:
        if assignment.user.email:
            outbox.queue(
                kind,
                {
                    "dossier": dossier,
                    "unit": dossier.unit,
                    "public_url": settings.MOTCUA_PUBLIC_URL,
                    **context,
                },
                email=assignment.user.email,
                unit=dossier.unit,
                user=assignment.user,
                about=about(dossier),
            )


def answer_supplement(
    dossier: Dossier,
    *,
    actor: User,
    papers: list[OnlinePaper],
    note: str = "",
    at: datetime | None = None,
) -> SupplementRequest:
    """The applicant sends what Mẫu 02 asked for; the dossier goes back to the desk's queue."""
    if not papers:
        raise ValidationError(_("Attach at least one file with what was asked for."))
    at = now_or(at)
    with transition(dossier, actor, "answer_supplement", reason=note) as (d, _rule):
        request = d.supplements.filter(fulfilled_at__isnull=True, answered_at__isnull=True).last()
        if request is None:
            raise TransitionRefused(_("This supplement request has already been answered."))
        for paper in papers:
            _save_paper(d, paper, supplement=request)
        request.answered_at, request.answer_note = at, note
        request.save(update_fields=["answered_at", "answer_note"])
        if d.status == Status.SUPPLEMENT_REQUESTED:
            d.status = Status.PENDING  # before receipt: the desk checks it again
        log(
            d,
            EventKind.SUPPLEMENT_RECEIVED,
            actor,
            at,
            step=d.current_step,
            note=_("Sent online: %(n)d file(s). %(note)s") % {"n": len(papers), "note": note},
        )
        _tell_desk(d, "supplement_answered", answered_at=at)
    return request


@transaction.atomic
def choose_delivery(dossier: Dossier, *, actor: User, method: str, address: str = "") -> Dossier:
    """The applicant chooses to collect the result at the desk or to receive it by post."""
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if locked.applicant_user_id != actor.pk:
        raise TransitionRefused(_("Only the applicant can choose this."), by_role=True)
    if locked.status in {Status.RETURNED, Status.WITHDRAWN, Status.REFUSED}:
        raise TransitionRefused(_("This dossier is closed."))
    if method not in DeliveryMethod.values:
        raise ValidationError(_("Choose how to receive the result."))
    if method == DeliveryMethod.POST and len(address.strip()) < 10:
        raise ValidationError({"address": _("Enter the full postal address.")})
    before = audit.snapshot(locked, ["delivery_method", "delivery_address"])
    locked.delivery_method = method
    locked.delivery_address = address.strip() if method == DeliveryMethod.POST else ""
    locked.save(update_fields=["delivery_method", "delivery_address", "updated_at"])
    audit.record(
        actor=actor,
        action="dossier.choose_delivery",
        unit=locked.unit,
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["delivery_method", "delivery_address"]),
    )
    return locked

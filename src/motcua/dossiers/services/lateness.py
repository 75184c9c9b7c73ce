"""A dossier that will be late: the apology with a new due date (Mẫu 04), reset only once."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ
from motcua.core.models import Position, Role, RoleAssignment, User

from ..deadlines import apology_deadline, calendar_of, shift
from ..models import Apology, Dossier, EventKind
from ..workflow import TransitionRefused
from .common import log, notify, now_or, transition


def agency_head(dossier: Dossier) -> User:
    """The chairman of the handling unit signs the apology."""
    head = (
        RoleAssignment.objects.filter(
            unit=dossier.unit, role=Role.LEADER, position=Position.CHAIRMAN, is_active=True
        )
        .select_related("user")
        .first()
    )
    if head is None:
        raise ValidationError(
            _("%(unit)s has no chairman to sign the apology.") % {"unit": dossier.unit.name}
        )
    return head.user


def issue_apology(
    dossier: Dossier, *, actor: User, reason: str, new_due_at: datetime, at: datetime | None = None
) -> Apology:
    at = now_or(at)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the delay."))
    with transition(dossier, actor, "issue_apology", reason=reason) as (d, _rule):
        if d.apologies.count() >= settings.MOTCUA_MAX_DUE_RESETS:
            raise TransitionRefused(_("The due date of a dossier can be reset only once."))
        assert d.due_at is not None
        if new_due_at <= d.due_at:
            raise ValidationError(_("The new due date must be later than the current one."))
        if not calendar_of(d).is_working_day(new_due_at.astimezone(VN_TZ).date()):
            raise ValidationError(_("The new due date must fall on a working day."))
        apology = Apology.objects.create(
            dossier=d,
            reason=reason,
            original_due_at=d.due_at,
            new_due_at=new_due_at,
            issued_by=actor,
            signed_by=agency_head(d),
            issued_at=at,
            timely=at <= apology_deadline(d, d.due_at),
        )
        for step in d.steps.filter(finished_at__isnull=True):
            step.due_at = shift(d, step.due_at, d.due_at, new_due_at)
            step.save(update_fields=["due_at"])
        d.due_at = new_due_at
        log(d, EventKind.APOLOGY_ISSUED, actor, at, step=d.current_step, note=reason)
        notify(d, "apology", apology=apology)
    return apology


def allow_late_return(
    dossier: Dossier, *, actor: User, reason: str, at: datetime | None = None
) -> Dossier:
    """A leader lets a late dossier go back without an apology; reports still count it."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for returning the dossier without an apology."))
    at = now_or(at)
    with transition(dossier, actor, "allow_late_return", reason=reason) as (d, _rule):
        d.late_return_override = reason
        log(d, EventKind.LATE_RETURN_ALLOWED, actor, at, note=reason)
    return dossier

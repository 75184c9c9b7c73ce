"""Return the result, or stop the dossier at the applicant's request."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.models import User

from ..deadlines import judge
from ..models import Dossier, EventKind, Outcome, ReturnMethod
from ..workflow import TransitionRefused
from .common import log, notify, now_or, transition


def first_due(dossier: Dossier) -> datetime:
    """The due date before any apology: lateness is judged against it."""
    apology = dossier.apologies.order_by("issued_at").first()
    assert dossier.due_at is not None
    return apology.original_due_at if apology else dossier.due_at


def return_result(
    dossier: Dossier, *, actor: User, method: str, at: datetime | None = None
) -> Dossier:
    if method not in ReturnMethod.values:
        raise ValidationError(_("Choose how the result is returned."))
    at = now_or(at)
    with transition(dossier, actor, "return_result") as (d, _rule):
        has_result = bool(d.result_file) or d.result_paper or d.outcome == Outcome.REFUSED
        if not has_result:
            raise TransitionRefused(_("Attach the result before returning the dossier."))
        assert d.due_at is not None
        late = at > d.due_at
        if late and not d.apologies.exists() and not d.late_return_override:
            raise TransitionRefused(
                _(
                    "This dossier is late: issue the apology (Mẫu 04) or ask a leader to record "
                    "why it may be returned without one."
                )
            )
        step = d.current_step
        if step is not None:
            step.finished_at, step.finished_by = at, actor
            step.timeliness = judge(at, step.due_at)
            step.save(update_fields=["finished_at", "finished_by", "timeliness"])
        d.returned_at, d.return_method = at, method
        d.timeliness = judge(at, first_due(d))
        log(d, EventKind.RETURNED, actor, at, step=step, timeliness=d.timeliness)
        notify(d, "returned")
    return dossier


def withdraw(dossier: Dossier, *, actor: User, reason: str, at: datetime | None = None) -> Dossier:
    """The applicant asks to stop before a result exists: the stop notice."""
    if not reason.strip():
        raise ValidationError(_("Record the applicant's request to stop."))
    at = now_or(at)
    with transition(dossier, actor, "withdraw", reason=reason) as (d, _rule):
        d.withdrawn_at, d.withdrawal_reason = at, reason
        log(d, EventKind.WITHDRAWN, actor, at, step=d.current_step, note=reason)
    return dossier

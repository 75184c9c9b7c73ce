"""One entry point for every transition by name, used by the desk pages and the API alike."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.models import User

from ..models import Dossier
from ..workflow import TRANSITIONS
from . import closing, handling, intake, lateness, online

Values = dict[str, Any]


def _to_user(v: Values) -> User:
    if not v.get("to_user"):
        raise ValidationError(_("Choose the officer."))
    return v["to_user"]


def _due(v: Values) -> Any:
    if not v.get("new_due_at"):
        raise ValidationError(_("Enter the new due date."))
    return v["new_due_at"]


CALLS: dict[str, Callable[[Dossier, User, Values], Any]] = {
    "receive": lambda d, u, v: intake.receive(d, actor=u),
    "request_supplement": lambda d, u, v: intake.request_supplement(
        d, actor=u, items=v.get("items", []), reason=v.get("reason", ""),
        contact=v.get("contact", "")),
    "refuse": lambda d, u, v: intake.refuse(d, actor=u, reasons=v.get("reason", "")),
    "transfer": lambda d, u, v: handling.transfer(d, actor=u, to_user=v.get("to_user")),
    "assign": lambda d, u, v: handling.assign(d, actor=u, to_user=_to_user(v)),
    "record_work": lambda d, u, v: handling.record_work(
        d, actor=u, kind=v.get("kind", ""), note=v.get("note", ""), to_unit=v.get("to_unit", "")),
    "hand_over": lambda d, u, v: handling.hand_over(
        d, actor=u, to_user=v.get("to_user"), note=v.get("note", "")),
    "approve": lambda d, u, v: handling.approve(
        d, actor=u, to_user=v.get("to_user"), note=v.get("note", "")),
    "request_supplement_in_appraisal": lambda d, u, v: handling.request_supplement_in_appraisal(
        d, actor=u, items=v.get("items", []), reason=v.get("reason", ""),
        contact=v.get("contact", "")),
    "receive_supplement": lambda d, u, v: handling.receive_supplement(d, actor=u),
    "refuse_after_appraisal": lambda d, u, v: handling.refuse_after_appraisal(
        d, actor=u, reasons=v.get("reason", "")),
    "attach_result": lambda d, u, v: handling.attach_result(
        d, actor=u, file=v.get("file"), paper=bool(v.get("paper")), note=v.get("note", "")),
    "issue_apology": lambda d, u, v: lateness.issue_apology(
        d, actor=u, reason=v.get("reason", ""), new_due_at=_due(v)),
    "allow_late_return": lambda d, u, v: lateness.allow_late_return(
        d, actor=u, reason=v.get("reason", "")),
    "return_result": lambda d, u, v: closing.return_result(d, actor=u, method=v.get("method", "")),
    "answer_supplement": lambda d, u, v: online.answer_supplement(
        d, actor=u, papers=v.get("papers", []), note=v.get("note", "")),
    "withdraw": lambda d, u, v: closing.withdraw(d, actor=u, reason=v.get("reason", "")),
}  # fmt: skip
assert set(CALLS) == set(TRANSITIONS), "every transition of the table has a call"


def perform(name: str, dossier: Dossier, actor: User, values: Values) -> None:
    """Run transition ``name``; KeyError for an unknown name."""
    CALLS[name](dossier, actor, values)

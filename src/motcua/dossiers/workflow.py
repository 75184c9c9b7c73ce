"""The dossier lifecycle in one table: which action may run from which status, by whom.

Every service function starts with ``guard(action, dossier, actor)``; nothing else decides
whether a transition is allowed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.models import Role, User
from motcua.core.selectors import active_assignments

from .models import Dossier, Status

S = Status
HANDLERS = frozenset({Role.SPECIALIST, Role.LEADER})
OPEN = frozenset({S.RECEIVED, S.IN_PROGRESS, S.AWAITING_SUPPLEMENT})
BEFORE_RECEIPT = frozenset({S.DRAFT, S.PENDING, S.SUPPLEMENT_REQUESTED})
# Not a role anyone holds: the signed-in citizen whose dossier it is.
APPLICANT = "applicant"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    roles: frozenset[str]


def _t(action: str, label: str, sources, target, roles) -> Transition:  # type: ignore[no-untyped-def]
    return Transition(action, label, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("receive", gettext_lazy("receive"), BEFORE_RECEIPT, S.RECEIVED, {Role.DESK_OFFICER}),
        _t(
            "request_supplement",
            gettext_lazy("ask for a supplement to"),
            {S.DRAFT, S.PENDING},
            S.SUPPLEMENT_REQUESTED,
            {Role.DESK_OFFICER},
        ),
        _t("refuse", gettext_lazy("refuse"), BEFORE_RECEIPT, S.REFUSED, {Role.DESK_OFFICER}),
        _t("transfer", gettext_lazy("transfer"), {S.RECEIVED}, S.IN_PROGRESS, {Role.DESK_OFFICER}),
        _t("assign", gettext_lazy("assign"), {S.IN_PROGRESS}, None, HANDLERS),
        _t("record_work", gettext_lazy("record work on"), {S.IN_PROGRESS}, None, HANDLERS),
        _t("hand_over", gettext_lazy("hand over"), {S.IN_PROGRESS}, None, HANDLERS),
        _t("approve", gettext_lazy("approve"), {S.IN_PROGRESS}, None, {Role.LEADER}),
        _t(
            "request_supplement_in_appraisal",
            gettext_lazy("ask for a supplement to"),
            {S.IN_PROGRESS},
            S.AWAITING_SUPPLEMENT,
            HANDLERS,
        ),
        _t(
            "receive_supplement",
            gettext_lazy("record the supplement of"),
            {S.AWAITING_SUPPLEMENT},
            S.IN_PROGRESS,
            {Role.DESK_OFFICER, *HANDLERS},
        ),
        _t(
            "refuse_after_appraisal",
            gettext_lazy("refuse"),
            {S.IN_PROGRESS},
            S.RESULT_READY,
            HANDLERS,
        ),
        _t(
            "attach_result",
            gettext_lazy("attach the result to"),
            {S.IN_PROGRESS, S.RESULT_READY},
            None,
            {Role.DESK_OFFICER, *HANDLERS},
        ),
        _t(
            "issue_apology",
            gettext_lazy("issue an apology for"),
            {*OPEN, S.RESULT_READY},
            None,
            HANDLERS,
        ),
        _t(
            "allow_late_return",
            gettext_lazy("allow the late return of"),
            {S.RESULT_READY},
            None,
            {Role.LEADER},
        ),
        _t(
            "return_result",
            gettext_lazy("return"),
            {S.RESULT_READY},
            S.RETURNED,
            {Role.DESK_OFFICER},
        ),
        _t(
            "answer_supplement",
            gettext_lazy("send the supplement of"),
            {S.SUPPLEMENT_REQUESTED, S.AWAITING_SUPPLEMENT},
            None,  # before receipt: back to "submitted"; in appraisal: the desk records it
            {APPLICANT},
        ),
        _t(
            "withdraw",
            gettext_lazy("stop"),
            {*BEFORE_RECEIPT, *OPEN},
            S.WITHDRAWN,
            {Role.DESK_OFFICER},
        ),
    ]
}


class TransitionRefused(PermissionDenied):
    """An action that the dossier's status or the user's role does not allow.

    ``by_role`` tells the API which it was: 403 for the role, 409 for the state.
    """

    def __init__(self, message: str = "", *, by_role: bool = False) -> None:
        super().__init__(message)
        self.by_role = by_role


def allowed_actions(dossier: Dossier, actor: User) -> list[str]:
    roles = _roles(dossier, actor)
    return [
        t.action for t in TRANSITIONS.values() if dossier.status in t.sources and roles & t.roles
    ]


def _roles(dossier: Dossier, actor: User) -> set[str]:
    roles = set(
        active_assignments(actor).filter(unit_id=dossier.unit_id).values_list("role", flat=True)
    )
    if dossier.applicant_user_id is not None and dossier.applicant_user_id == actor.pk:
        roles.add(APPLICANT)
    return roles


def guard(action: str, dossier: Dossier, actor: User) -> Transition:
    """Refuse, with a message the officer can act on, what the table does not allow."""
    transition = TRANSITIONS[action]
    if dossier.status not in transition.sources:
        raise TransitionRefused(
            _("Cannot %(action)s a dossier that is “%(status)s”.")
            % {"action": transition.label, "status": dossier.get_status_display()}
        )
    if not _roles(dossier, actor) & transition.roles:
        raise TransitionRefused(
            _("Your role in %(unit)s does not allow you to %(action)s this dossier.")
            % {"unit": dossier.unit.name, "action": transition.label},
            by_role=True,
        )
    return transition

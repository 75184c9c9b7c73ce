"""The dossier lifecycle in one table: which action may run from which status.

*Who* may run it is the row ``dossier.<action>`` of the permission table
(core/permissions.py): its roles, its assignee-only roles (a specialist acts only on a dossier
given to them), and whether the applicant may. Every service function starts with
``guard(action, dossier, actor)``; nothing else decides whether a transition is allowed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import TransitionRefused
from motcua.core.models import Role, User
from motcua.core.permissions import roles_in, rule_for

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
    assignee_only: frozenset[str] = frozenset()


def _t(action: str, label: str, sources, target) -> Transition:  # type: ignore[no-untyped-def]
    row = rule_for(f"dossier.{action}")
    roles = row.roles | ({APPLICANT} if row.applicant else set())
    return Transition(action, label, frozenset(sources), target, roles, row.assignee_only)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("receive", gettext_lazy("receive"), BEFORE_RECEIPT, S.RECEIVED),
        _t(
            "request_supplement",
            gettext_lazy("ask for a supplement to"),
            {S.DRAFT, S.PENDING},
            S.SUPPLEMENT_REQUESTED,
        ),
        _t("refuse", gettext_lazy("refuse"), BEFORE_RECEIPT, S.REFUSED),
        _t("transfer", gettext_lazy("transfer"), {S.RECEIVED}, S.IN_PROGRESS),
        _t("assign", gettext_lazy("assign"), {S.IN_PROGRESS}, None),
        _t("record_work", gettext_lazy("record work on"), {S.IN_PROGRESS}, None),
        _t("hand_over", gettext_lazy("hand over"), {S.IN_PROGRESS}, None),
        _t("approve", gettext_lazy("approve"), {S.IN_PROGRESS}, None),
        _t(
            "request_supplement_in_appraisal",
            gettext_lazy("ask for a supplement to"),
            {S.IN_PROGRESS},
            S.AWAITING_SUPPLEMENT,
        ),
        _t(
            "receive_supplement",
            gettext_lazy("record the supplement of"),
            {S.AWAITING_SUPPLEMENT},
            S.IN_PROGRESS,
        ),
        _t("refuse_after_appraisal", gettext_lazy("refuse"), {S.IN_PROGRESS}, S.RESULT_READY),
        _t(
            "attach_result",
            gettext_lazy("attach the result to"),
            {S.IN_PROGRESS, S.RESULT_READY},
            None,
        ),
        _t("issue_apology", gettext_lazy("issue an apology for"), {*OPEN, S.RESULT_READY}, None),
        _t("allow_late_return", gettext_lazy("allow the late return of"), {S.RESULT_READY}, None),
        _t("return_result", gettext_lazy("return"), {S.RESULT_READY}, S.RETURNED),
        _t(
            "answer_supplement",
            gettext_lazy("send the supplement of"),
            {S.SUPPLEMENT_REQUESTED, S.AWAITING_SUPPLEMENT},
            None,  # before receipt: back to "submitted"; in appraisal: the desk records it
        ),
        _t("withdraw", gettext_lazy("stop"), {*BEFORE_RECEIPT, *OPEN}, S.WITHDRAWN),
    ]
}


def allowed_actions(dossier: Dossier, actor: User) -> list[str]:
    roles = _roles(dossier, actor)
    return [
        t.action
        for t in TRANSITIONS.values()
        if dossier.status in t.sources and _qualifies(t, roles, dossier, actor)
    ]


def _qualifies(transition: Transition, roles: set[str], dossier: Dossier, actor: User) -> bool:
    """A role of the row, or an assignee-only role (a specialist) when the dossier is theirs."""
    if roles & (transition.roles - transition.assignee_only):
        return True
    if not roles & transition.assignee_only:
        return False
    # A dossier given to no one may be taken up (assigned) by an officer of the step's role.
    taking_up = transition.action == "assign" and dossier.assignee_id is None
    if taking_up or dossier.assignee_id == actor.pk:
        return True
    # The apology answers for a delay that arose in a step, so whoever held one may write it,
    # also once the dossier has moved on; every other action belongs to its current holder.
    past_handler = dossier.assignee_id is None or transition.action in PAST_HANDLER_ACTIONS
    return past_handler and held_a_step(dossier, actor)


# Actions that an officer who held a step of the dossier keeps after handing it over.
PAST_HANDLER_ACTIONS = frozenset({"issue_apology"})


def held_a_step(dossier: Dossier, actor: User) -> bool:
    return dossier.steps.filter(assignee=actor).exists()


def _roles(dossier: Dossier, actor: User) -> set[str]:
    roles = set(roles_in(actor, dossier.unit_id))  # the request's assignments: no query
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
    check_role(action, dossier, actor)
    return transition


def check_role(action: str, dossier: Dossier, actor: User) -> None:
    """TransitionRefused(by_role=True), saying why, unless the actor's roles (and the assignee
    rule) allow ``action`` on this dossier; its status is not looked at."""
    transition = TRANSITIONS[action]
    roles = _roles(dossier, actor)
    if roles & transition.roles and not _qualifies(transition, roles, dossier, actor):
        if dossier.assignee is not None:
            message = _("This dossier is assigned to %(user)s.") % {
                "user": dossier.assignee.get_full_name() or dossier.assignee.username
            }
        else:
            message = _("Only an officer who handled this dossier may %(action)s it.") % {
                "action": transition.label
            }
        raise TransitionRefused(message, by_role=True)
    if not roles & transition.roles:
        raise TransitionRefused(
            _("Your role in %(unit)s does not allow you to %(action)s this dossier.")
            % {"unit": dossier.unit.name, "action": transition.label},
            by_role=True,
        )

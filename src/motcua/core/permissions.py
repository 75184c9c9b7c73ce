"""Who may do what, in one table: every page and action of every app is a row of PERMISSIONS.

How to read a row ``"dossier.issue_apology": Rule(HANDLERS, assignee_only={SPECIALIST})``:
- ``roles``: the roles, held in the object's own unit, that may do it;
- ``assignee_only``: those of ``roles`` that qualify only when the user is the object's
  assignee (the officer it is given to); the other roles qualify as they are;
- ``province``: a province viewer of the unit's province may do it. Province viewers only read:
  a row that changes anything never sets it (``check_table`` enforces that);
- ``applicant``: the signed-in citizen whose object it is (the dossier's applicant);
- ``public``: anyone, signed in or not (the object's own rules, e.g. a published page, apply);
- ``signed_in``: anyone signed in, about their own account or their own things (the view
  scopes the query to the user: their drafts, their dossiers);
- ``read``: the action changes nothing (a GET page, a download, a list).

Superusers pass every check (Django's admin shows them everything anyway). An action that is
not in the table is refused: a new page or action must get its row before anyone can use it.

Views declare their row with ``@permission("…")`` (the route matrix test in
tests/core/test_route_matrix.py reads it from every URL pattern), load their object and call
``require(request.user, "…", unit, assignee=…, applicant=…)``; lists use ``units_where``
(the only answer to "which units may this user see": there is no other).
Templates ask ``{% can "…" unit assignee=… as allowed %}`` (core/templatetags/permissions.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .models import AdministrativeUnit, Role, RoleAssignment, User

R = Role
LEADERS = frozenset({R.LEADER})
HANDLERS = frozenset({R.SPECIALIST, R.LEADER})
UNIT_STAFF = frozenset({R.LEADER, R.CLERK, R.DESK_OFFICER, R.SPECIALIST})
# Everyone working in a commune (the system administrator role is not one of its staff).
ANY_STAFF = UNIT_STAFF | {R.WEBSITE_EDITOR}
MANAGERS = frozenset({R.LEADER, R.CLERK})  # the leaders and the office clerk


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] = frozenset()
    assignee_only: frozenset[str] = frozenset()
    province: bool = False
    applicant: bool = False
    public: bool = False
    signed_in: bool = False
    read: bool = False
    # The unit passed to can()/require() is a province and ``roles`` are held in it: the one
    # kind of row that names the province viewer role, because the province itself acts
    # (its viewer reviews a commune's self-assessment: a write, by law the province's).
    at_province: bool = False
    note: str = field(default="", compare=False)  # why, for the newcomer


def rule(roles: Iterable[str] = (), *, assignee_only: Iterable[str] = (), **flags: Any) -> Rule:
    return Rule(frozenset(roles), frozenset(assignee_only), **flags)


def read(roles: Iterable[str] = (), **flags: Any) -> Rule:
    """A row that changes nothing."""
    return rule(roles, read=True, **flags)


# --- the table ------------------------------------------------------------------------------
# One section per app; keep rows sorted within a section. ``read`` rows are GET pages and
# downloads; every other row changes something and is reached by POST only.
PERMISSIONS: dict[str, Rule] = {
    # core -----------------------------------------------------------------------------------
    "core.home": read(public=True, note="the staff home: each block asks its own row"),
    "core.sign_in": rule(
        public=True, note="staff and citizen sign-in, the VNeID (OIDC) round trip"
    ),
    "core.sign_out": rule(public=True, note="sign out (then the sign-in page)"),
    # the REST API's own pages (the rows of its operations are those of the pages) -------------
    "api.root": read(public=True, note="the list of the API's collections"),
    "api.units": read(public=True, note="units' names and codes are published data"),
    "api.public_status": rule(public=True, note="code + phone -> status, throttled per address"),
    "procedure.list": read(
        ANY_STAFF, province=True, note="the API's published procedures of one's provinces"
    ),
    # the citizen portal ------------------------------------------------------------------------
    "portal.account": rule(
        signed_in=True, note="one's own account: confirm the e-mail or phone, resend the code"
    ),
    "portal.apply": rule(signed_in=True, note="start one's own draft of an online application"),
    "portal.catalogue": read(public=True, note="the published procedures and their pages"),
    "portal.dossier": read(
        applicant=True, note="the citizen's own dossier, its forms, result and certified copies"
    ),
    "portal.dossier_act": rule(
        applicant=True, note="send a supplement, choose the delivery, rate, pay: own dossier"
    ),
    "portal.draft": rule(
        applicant=True, note="a draft's owner (a citizen, or the desk officer who fills it in)"
    ),
    "portal.lookup": rule(public=True, note="code + phone: status and rating; rate-limited"),
    "portal.mine": read(signed_in=True, note="one's own dossiers and drafts"),
    "portal.payment_gateway": rule(
        public=True,
        note="the gateway's signed return and IPN; the demo's gateway simulator (404 once a "
        "real gateway is configured)",
    ),
    "portal.sign_up": rule(public=True, note="honeypot and a per-address rate limit"),
    # certification (chứng thực bản sao điện tử) ------------------------------------------------
    # The original's scans and the signed copies are personal documents: the desk, the handlers
    # and the leaders; not the clerk, the website editor or the province viewer.
    "certification.annotate": rule({R.DESK_OFFICER}, note="a correction note in the register"),
    "certification.certify": rule(LEADERS, note="the leader signs: the copies are made"),
    "certification.record": rule(
        {R.DESK_OFFICER, R.SPECIALIST}, note="the original's details, checked against it"
    ),
    "certification.refuse": rule({R.DESK_OFFICER, R.SPECIALIST, R.LEADER}),
    "certification.register": read(
        {R.DESK_OFFICER, R.LEADER}, note="the month's register (page, PDF, spreadsheet)"
    ),
    "certification.retry": rule(LEADERS, note="sign again after a signing failure"),
    "certification.verify": rule(
        public=True, note="anyone holding a copy checks it; rate-limited per address"
    ),
    "certification.view": read(
        {R.DESK_OFFICER, R.SPECIALIST, R.LEADER}, note="the page, its status and the copies"
    ),
    # dossiers (one-stop desk) -----------------------------------------------------------------
    "dossier.view_personal_data": read(
        {R.LEADER, R.DESK_OFFICER, R.SPECIALIST},
        applicant=True,
        note="applicants' personal ID, phone, address: the desk and the handlers, not the "
        "clerk, the website editor or the province viewer",
    ),
    # The dossier lifecycle (dossiers/workflow.py takes its roles from these rows): the desk
    # officer receives, transfers and returns; the handlers (specialist of the step, leader)
    # appraise. A specialist acts only on a dossier given to them (assignee_only; when it is
    # given to no one, those who held one of its steps); a leader acts for anyone.
    "dossier.desk": read(
        UNIT_STAFF, province=True, note="the desk's queues; a province viewer follows them"
    ),
    "dossier.view": read(
        UNIT_STAFF,
        province=True,
        note="a dossier's page; its personal data only under dossier.view_personal_data",
    ),
    "dossier.form": read(
        {R.LEADER, R.DESK_OFFICER, R.SPECIALIST},
        note="the forms of a dossier (receipt, refusal...): they carry the personal data",
    ),
    "dossier.paper_scan": read(
        {R.LEADER, R.DESK_OFFICER, R.SPECIALIST}, note="the scans: identity papers and the like"
    ),
    "dossier.ledger": read(
        {R.LEADER, R.DESK_OFFICER}, note="the month's dossier ledger (names, addresses, phones)"
    ),
    "dossier.assisted": rule(
        {R.DESK_OFFICER},
        note="submit online for a citizen at the counter (the officer owns the draft)",
    ),
    "dossier.kiosk": rule({R.DESK_OFFICER}, note="the rating screen turned to the citizen"),
    "outbox.list": read(
        MANAGERS | {R.DESK_OFFICER}, note="the unit's messages: recipients' phones and e-mails"
    ),
    "dossier.allow_late_return": rule(LEADERS, note="a late result may still be handed over"),
    "dossier.answer_supplement": rule(applicant=True, note="the citizen sends what was asked"),
    "dossier.approve": rule(LEADERS),
    "dossier.assign": rule(HANDLERS, assignee_only={R.SPECIALIST}),
    "dossier.attach_result": rule(
        {R.DESK_OFFICER, *HANDLERS}, assignee_only={R.SPECIALIST}, note="the result file"
    ),
    "dossier.hand_over": rule(HANDLERS, assignee_only={R.SPECIALIST}),
    "dossier.issue_apology": rule(
        HANDLERS,
        assignee_only={R.SPECIALIST},
        note="moves the due date once and tells the citizen: a leader, or an officer who "
        "held one of its steps",
    ),
    "dossier.receive": rule({R.DESK_OFFICER}),
    "dossier.receive_supplement": rule({R.DESK_OFFICER, *HANDLERS}, assignee_only={R.SPECIALIST}),
    "dossier.record_work": rule(HANDLERS, assignee_only={R.SPECIALIST}),
    "dossier.refuse": rule({R.DESK_OFFICER}, note="refused at the desk, before receipt"),
    "dossier.refuse_after_appraisal": rule(HANDLERS, assignee_only={R.SPECIALIST}),
    "dossier.request_supplement": rule({R.DESK_OFFICER}),
    "dossier.request_supplement_in_appraisal": rule(HANDLERS, assignee_only={R.SPECIALIST}),
    "dossier.return_result": rule({R.DESK_OFFICER}),
    "dossier.transfer": rule({R.DESK_OFFICER}),
    "dossier.withdraw": rule({R.DESK_OFFICER}, note="stopped at the applicant's request"),
    # the outbox of messages (e-mail, SMS) of a unit --------------------------------------------
    "outbox.resend": rule(
        MANAGERS | {R.DESK_OFFICER}, note="re-queue a failed message; never the province viewer"
    ),
    # upper-level portals (motcua.interop): reconciliation of the status messages ------------
    "interop.reconcile": read(
        LEADERS | {R.CLERK},
        province=True,
        note="dossier codes and the portals' answers; no applicant's personal data",
    ),
    "interop.send_again": rule(MANAGERS, note="send a rejected status again after a correction"),
    # documents (văn bản đến/đi, registers) ----------------------------------------------------
    # Reads: the commune's four staff roles. Before the table, units_for() also let the website
    # editor, the unit's system administrator and the province viewer read every non-secret
    # document of a commune; none of them needs the correspondence, so the rows refuse them
    # (province=False on purpose). Confidential documents: the row says who may try, the
    # selector keeps the named readers (incoming) / drafter, signer, leaders, clerk (outgoing);
    # each view of one writes an access record (audit), which the law asks for.
    "document.incoming_acknowledge": rule(MANAGERS, note="say an electronic one arrived"),
    "document.incoming_direct": rule(LEADERS, note="the leader names the lead handler"),
    "document.incoming_file": read(UNIT_STAFF, note="download; a secret one's opening is logged"),
    "document.incoming_list": read(UNIT_STAFF, note="lists and queues; secret ones: named readers"),
    "document.incoming_progress": rule(
        UNIT_STAFF,
        assignee_only={R.SPECIALIST, R.CLERK, R.DESK_OFFICER},
        note="the handlers named in a direction (assignee), or a leader",
    ),
    "document.incoming_register": rule(MANAGERS, note="the clerk books incoming documents"),
    "document.incoming_return": rule(MANAGERS, note="a misaddressed electronic one goes back"),
    "document.incoming_view": read(
        UNIT_STAFF, note="non-secret for the staff; secret for the named readers, logged"
    ),
    "document.month": read(UNIT_STAFF, note="the month's registers to download"),
    "document.month_figures": read(MANAGERS, note="electronic-work figures, official e-mail use"),
    "document.outgoing_approve": rule(LEADERS, note="approve and sign (send back too)"),
    "document.outgoing_draft": rule(UNIT_STAFF, note="any officer drafts"),
    "document.outgoing_file": read(UNIT_STAFF, note="main file and attachments"),
    "document.outgoing_issue": rule({R.CLERK}, note="the clerk numbers and issues"),
    "document.outgoing_list": read(UNIT_STAFF),
    "document.outgoing_publish": rule(MANAGERS, note="put an issued one on the website"),
    "document.outgoing_secret": read(
        MANAGERS, note="every secret outgoing one of the unit; others: its drafter and signer"
    ),
    "document.outgoing_send_back": rule(LEADERS, note="back to the drafter with a note"),
    "document.outgoing_submit": rule(UNIT_STAFF, note="a draft goes to the leader"),
    "document.outgoing_view": read(UNIT_STAFF),
    "document.register": read(UNIT_STAFF, note="the monthly registers (PDF, spreadsheet)"),
    "document.register_secret": read(
        MANAGERS, note="the secret series; each opening is an audit record (the law's log)"
    ),
    # work files (hồ sơ công việc) ----------------------------------------------------------------
    "workfile.close": rule(
        UNIT_STAFF,
        assignee_only={R.CLERK, R.DESK_OFFICER, R.SPECIALIST},
        note="its keeper (assignee) or a leader",
    ),
    "workfile.file_item": rule(
        UNIT_STAFF,
        assignee_only={R.DESK_OFFICER, R.SPECIALIST},
        note="its keeper (assignee), the clerk or a leader",
    ),
    "workfile.file_document": rule(
        UNIT_STAFF,
        note="the 'file it' form of a document's page; the chosen file then asks "
        "workfile.file_item (its keeper, the clerk or a leader)",
    ),
    "workfile.open": rule(
        UNIT_STAFF,
        assignee_only={R.DESK_OFFICER, R.SPECIALIST},
        note="an officer opens their own (assignee = the keeper); clerk, leader for anyone",
    ),
    "workfile.pdf": read(UNIT_STAFF, note="only for who sees every item (selector)"),
    "workfile.plan": rule(MANAGERS, note="the year's file plan, made with its first file"),
    "workfile.view": read(
        UNIT_STAFF, note="the plan and a file; secret items' text hidden (selector)"
    ),
    # planning (field work, schedule, inspections, initiatives, conduct) ---------------------------
    # The commune's own work: no province row (the province viewer reads figures in reports).
    # Before the table, inspections, initiatives and activities were listed through units_for()
    # (province viewer included), the pages through holds(); the rows now decide: no province.
    "planning.activity_list": read(ANY_STAFF),
    "planning.activity_record": rule(ANY_STAFF, note="a propaganda activity"),
    "planning.complaint_record": rule(MANAGERS),
    "planning.complaint_settle": rule(LEADERS),
    "planning.conduct": read(ANY_STAFF, note="desk checks and complaints about conduct"),
    "planning.desk_check_record": rule(MANAGERS),
    "planning.directive": rule(LEADERS, note="a directive and the tasks it gives"),
    "planning.engagement_edit": rule(MANAGERS, note="add, change, cancel the week's entries"),
    "planning.finding_file": read(ANY_STAFF),
    "planning.finding_record": rule(
        ANY_STAFF,
        assignee_only=ANY_STAFF - MANAGERS,
        note="the inspection team (assignee), the leaders or the clerk",
    ),
    "planning.initiative_apply": rule(
        ANY_STAFF, assignee_only=ANY_STAFF - LEADERS, note="an author (assignee) or a leader"
    ),
    "planning.initiative_decide": rule(LEADERS, note="concludes for the council"),
    "planning.initiative_list": read(ANY_STAFF),
    "planning.initiative_opinion": rule(
        ANY_STAFF, assignee_only=ANY_STAFF, note="a council member (assignee) only"
    ),
    "planning.initiative_submit": rule(ANY_STAFF),
    "planning.initiative_view": read(ANY_STAFF),
    "planning.inspection_close": rule(LEADERS),
    "planning.inspection_list": read(ANY_STAFF),
    "planning.inspection_plan": rule(MANAGERS),
    "planning.inspection_view": read(ANY_STAFF, note="with ?dang=pdf the report"),
    "planning.plan_cancel": rule(
        ANY_STAFF, assignee_only=ANY_STAFF - LEADERS, note="its author (assignee) or a leader"
    ),
    "planning.plan_decide": rule(LEADERS, note="approve or reject a field-work plan"),
    "planning.plan_file": rule(ANY_STAFF, note="an officer files a field-work plan"),
    "planning.plan_list": read(ANY_STAFF, note="own plans; a leader's queue (selector)"),
    "planning.plan_report": rule(
        ANY_STAFF, assignee_only=ANY_STAFF, note="only its author (assignee) reports the trip"
    ),
    "planning.plan_view": read(
        ANY_STAFF, assignee_only=ANY_STAFF - LEADERS, note="its author (assignee) or a leader"
    ),
    "planning.task_assign": rule(MANAGERS, note="a remediation task for a finding"),
    "planning.task_complete": rule(
        ANY_STAFF, assignee_only=ANY_STAFF, note="only the task's owner (assignee) closes it"
    ),
    "planning.task_list": read(ANY_STAFF, note="own tasks; the unit's for leaders and clerk"),
    "planning.task_view": read(
        ANY_STAFF,
        assignee_only=ANY_STAFF - MANAGERS,
        note="its owner (assignee), leaders and clerk; the evidence files too",
    ),
    "planning.week": read(ANY_STAFF, note="the week's schedule; ?dang=pdf|docx"),
    "planning.week_publish": rule(MANAGERS, note="publish the week on the website"),
    # reports (figures of a commune, the province comparison) ----------------------------------
    # The province viewer reads every commune of the province (province=True): that is what
    # the role is for. The province comparison is asked of the province unit itself.
    "report.dossiers": read(ANY_STAFF, province=True, note="the dossiers behind a number"),
    "report.export": read(ANY_STAFF, province=True, note="a commune's report as a file"),
    "report.province": read(
        {R.PROVINCE_VIEWER},
        at_province=True,
        note="the communes side by side (and its spreadsheet), asked of the province unit",
    ),
    "report.unit": read(
        ANY_STAFF, province=True, note="a commune's report, dashboard, index 766, evaluation"
    ),
    # self-assessment (tự chấm điểm cải cách hành chính) ----------------------------------------
    "assessment.edit": rule(
        MANAGERS, note="open (POST only: GET never creates it), score, evidence, refresh"
    ),
    "assessment.review": rule(
        {R.PROVINCE_VIEWER},
        at_province=True,
        note="the province reviews a submitted self-assessment: a write by a province role, "
        "asked of the criteria set's province (the one write a province viewer does)",
    ),
    "assessment.review_view": read(
        {R.PROVINCE_VIEWER}, at_province=True, note="the review list and page, of the province"
    ),
    "assessment.submit": rule(LEADERS, note="a leader sends it to the province"),
    "assessment.view": read(ANY_STAFF, province=True, note="the commune's scores"),
    # site (ward websites) and the feedback desk -----------------------------------------------
    # Feedback carries the sender's name, phone and e-mail: the commune's staff only. Before
    # the table units_for() showed it to the province viewer too; the row refuses that.
    "feedback.answer": rule(ANY_STAFF, note="any officer of the commune answers"),
    "feedback.list": read(ANY_STAFF),
    "feedback.publish": rule({R.LEADER, R.CLERK, R.WEBSITE_EDITOR}, note="answer on the site"),
    "feedback.view": read(ANY_STAFF),
    "site.document_file": read(public=True, note="a published document's signed file"),
    "site.serve": read(
        public=True,
        note="every website page through Wagtail (its page privacy and the feedback form's "
        "own rate limit apply); POST only to the feedback form",
    ),
    "site.wagtail_document": read(
        public=True, note="a document of a website page (Wagtail's own privacy settings apply)"
    ),
    "site.visits": read(
        {R.WEBSITE_EDITOR}, note="visitor charts in the page editor, of the sites one edits"
    ),
}


def check_table(table: dict[str, Rule] = PERMISSIONS) -> list[str]:
    """Rows that contradict the rules of the table itself (the test suite asserts none)."""
    problems = []
    for name, row in table.items():
        if row.province and not row.read:
            problems.append(f"{name}: a province viewer only reads")
        if not row.assignee_only <= row.roles:
            problems.append(f"{name}: assignee_only names a role the row does not allow")
        if R.PROVINCE_VIEWER in row.roles and not row.at_province:
            problems.append(f"{name}: say province=True, not the province viewer role")
        if row.at_province and row.roles - {R.PROVINCE_VIEWER}:
            problems.append(f"{name}: a province unit holds only province viewers")
    return problems


# --- checks ---------------------------------------------------------------------------------
def held_assignments(user: User) -> list[RoleAssignment]:
    """The user's active assignments with their units (and the units' parents), read once per
    user object, i.e. per request: every check of the request answers from this list."""
    cached = getattr(user, "_motcua_assignments", None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True)
        cached = list(rows.select_related("unit__parent"))
        user._motcua_assignments = cached  # type: ignore[attr-defined]
    return cached


def _roles_by_unit(user: User) -> dict[int, set[str]]:
    """The user's active roles per unit id."""
    cached = getattr(user, "_motcua_roles", None)
    if cached is None:
        cached = {}
        for assignment in held_assignments(user):
            cached.setdefault(assignment.unit_id, set()).add(assignment.role)
        user._motcua_roles = cached  # type: ignore[attr-defined]
    return cached


def held_units(user: Any, action: str) -> list[AdministrativeUnit] | None:
    """The units (with their parents) where ``user`` holds a role of ``action``'s row, from
    the request's assignments without a query; None when the answer needs one (a public or
    province-wide row, a superuser): ask ``units_where`` then."""
    row = rule_for(action)
    if row.public or row.province or getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return []
    units = {a.unit.pk: a.unit for a in held_assignments(user) if a.role in row.roles}
    return list(units.values())


def first_unit_where(user: Any, action: str) -> AdministrativeUnit | None:
    """The first unit by name (then id) where ``user`` may do ``action``."""
    units = held_units(user, action)
    if units is None:
        return units_where(user, action).order_by("name", "pk").first()
    return min(units, key=lambda u: (u.name, u.pk), default=None)


def roles_in(user: Any, unit_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return _roles_by_unit(user).get(unit_id, set())


def _province_viewer_of(user: Any, unit: AdministrativeUnit) -> bool:
    if not getattr(user, "is_authenticated", False) or not unit.parent_id:
        return False
    return R.PROVINCE_VIEWER in _roles_by_unit(user).get(unit.parent_id, set())


def rule_for(action: str) -> Rule:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"no permission row named {action!r} in core/permissions.py") from None


def can(
    user: Any,
    action: str,
    unit: AdministrativeUnit | None = None,
    *,
    assignee: Any = None,
    applicant: Any = None,
) -> bool:
    """May ``user`` do ``action`` on an object of ``unit``?

    ``assignee`` and ``applicant`` are the object's assignee and applicant (a User or its id;
    an iterable of either when several people are assigned). Without a unit, the question is
    "in some unit" (a menu entry, a list page that the selectors then scope).
    """
    row = rule_for(action)
    if row.public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if row.signed_in or user.is_superuser:
        return True
    if row.applicant and applicant is not None and user.pk in _ids(applicant):
        return True
    if unit is None:
        held = set().union(*_roles_by_unit(user).values()) if _roles_by_unit(user) else set()
        return bool(held & row.roles) or (row.province and R.PROVINCE_VIEWER in held)
    roles = roles_in(user, unit.pk)
    if roles & (row.roles - row.assignee_only):
        return True
    if roles & row.assignee_only and assignee is not None and user.pk in _ids(assignee):
        return True
    return row.province and _province_viewer_of(user, unit)


def _ids(people: Any) -> set[int]:
    if people is None:
        return set()
    if isinstance(people, int | User) or hasattr(people, "pk"):
        people = [people]
    return {p if isinstance(p, int) else p.pk for p in people if p is not None}


def require(
    user: Any,
    action: str,
    unit: AdministrativeUnit | None = None,
    *,
    message: str = "",
    **who: Any,
) -> None:
    """``can`` or PermissionDenied: a 403 page in Vietnamese saying ``message`` (what the
    rule is, when the view knows it better than "not allowed")."""
    if not can(user, action, unit, **who):
        raise PermissionDenied(message or _("You are not allowed to do this here."))


def units_where(user: Any, action: str) -> QuerySet[AdministrativeUnit]:
    """The one answer to "which units may this user see or act in, in which role": the units
    where ``user`` holds a role of ``action``'s row (ignoring assignee-only roles' objects:
    lists filter those by assignee themselves). Every list of every app is scoped by it, with
    the row of the page that shows the list.

    Province viewers: they hold their role in the province, and get the province's communes
    only when the row sets ``province`` (reads of dossiers, figures, the self-assessment; never
    the correspondence, the feedback desk's personal data or a commune's internal planning),
    and never the province itself, which holds no dossiers or documents of its own."""
    row = rule_for(action)
    units = AdministrativeUnit.objects.all()
    if row.public or (getattr(user, "is_authenticated", False) and user.is_superuser):
        return units
    if not getattr(user, "is_authenticated", False):
        return units.none()
    by_unit = _roles_by_unit(user)
    held = [uid for uid, roles in by_unit.items() if roles & row.roles]
    query = Q(pk__in=held)
    if row.province:
        provinces = [uid for uid, roles in by_unit.items() if R.PROVINCE_VIEWER in roles]
        query |= Q(parent_id__in=provinces)
    return units.filter(query)


# --- views ----------------------------------------------------------------------------------
def permission(
    action: str | dict[str, str],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a view's row: a row name, or a dict from the HTTP method (``"GET"``,
    ``"POST"``) or the URL's ``name`` kwarg (action routes) to a row name.

    Non-public rows need a signed-in user (login redirect otherwise); the object-level check
    is the view's ``require`` once it has loaded the object. A user who holds the row in no
    unit at all is refused here already, and so is a name or a method the dict lacks."""
    table = {"*": action} if isinstance(action, str) else dict(action)
    rows = {key: rule_for(name) for key, name in table.items()}

    def row_of(request: Any, kwargs: dict[str, Any]) -> tuple[str, Rule] | None:
        for key in ("*", kwargs.get("name"), request.method):
            if key in rows:
                return table[key], rows[key]
        return None

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        if all(row.public for row in rows.values()):
            view.motcua_permission = action  # type: ignore[attr-defined]
            return view

        @wraps(view)
        def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
            found = row_of(request, kwargs)
            if found is None:
                raise Http404
            name, row = found
            if row.public:
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), _login_url(row))
            if not row.applicant and not can(request.user, name):
                raise PermissionDenied(_("You are not allowed to do this here."))
            return view(request, *args, **kwargs)

        checked.motcua_permission = action  # type: ignore[attr-defined]
        return checked

    return decorate


def _login_url(row: Rule) -> str:
    """A citizen's page sends a visitor to the citizens' sign-in, a staff page to the staff's."""
    citizen = (row.applicant or row.signed_in) and not row.roles
    return resolve_url("portal-sign-in" if citizen else settings.LOGIN_URL)

"""The route matrix: every URL pattern × every kind of visitor, checked against the permission
table (core/permissions.py). Used by tests/core/test_route_matrix.py; kept apart so that a
newcomer can read how a route is filled in, who visits it and what counts as a refusal.

How a route is read:
- the routes are walked from ``django.urls.get_resolver()``: a new route is in the matrix
  without anyone adding it here (it fails ``test_every_route_declares_its_permission_row``
  until its view has ``@permission``, and ``test_every_route_has_a_sample`` until the kwargs of
  its URL have a sample below);
- the row is ``motcua_permission`` of the view function, of its class (class-based views), or of
  the viewset action method (DRF). The value may be a row name, or a dict from a key to a row
  name, the key being the URL's ``name`` kwarg (action routes such as ``…/thao-tac/<name>/``),
  the HTTP method (``"GET"``, ``"POST"``) or the DRF action (``"list"``, ``"create"``);
- URL kwargs are filled from objects of the demo ward (``SAMPLES``: route name → kwarg → how to
  find the object; ``GENERIC`` for kwargs that mean the same everywhere). Action routes are
  requested once per action name: the keys of the declared dict, else ``ACTION_NAMES`` (the
  apps' own tables of actions);
- the object of a route is the sample of its first object kwarg (``pk``, ``procedure_pk``…);
  its unit, assignee and applicant are found generically (``unit_of``, ``assignees_of``,
  ``applicant_of``: attributes unit, assignee, officer, owner, keeper, team, authors,
  applicant_user, and through dossier, document, plan, inspection, finding, task …), with
  ``ASSIGNEE_OF_ROW`` where a row names someone else (a council member gives an opinion).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# --- what is left out, and why ---------------------------------------------------------------
SKIPPED_PREFIXES = {
    "admin/": "Django's admin: its own checks (is_staff, model permissions), "
    "tests/core/test_admin_pages.py",
    "cms/": "Wagtail's admin: Wagtail's page and collection permissions",
    "static/": "static files (WhiteNoise), nothing to protect",
    "media/": "uploaded files are never served from a public URL",
}
SKIPPED_NAMES = {
    "set_language": "Django's i18n language switch: sets a cookie, reads nothing",
    "api-schema": "drf-spectacular's OpenAPI document (checked by schemathesis)",
    "swagger-ui": "drf-spectacular's documentation page",
    "redoc": "drf-spectacular's documentation page",
}


@dataclass
class Route:
    template: str  # the joined pattern text, e.g. "mot-cua/ho-so/<id:pk>/"
    name: str
    callback: Callable[..., Any]
    parts: list[Any]  # the patterns from the root resolver down to this one
    skip: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} /{self.template}"

    @property
    def kwarg_names(self) -> list[str]:
        names: list[str] = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                names += re.findall(r"<(?:[^>:]+:)?([^>]+)>", str(part))
            elif isinstance(part, RegexPattern):
                names += list(part.regex.groupindex)
        return names

    @property
    def unnamed_groups(self) -> bool:
        return any(
            isinstance(p, RegexPattern) and p.regex.groups > len(p.regex.groupindex)
            for p in self.parts
        )


def walk_routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, parts: list[Any]) -> Iterator[None]:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                yield from walk(item, prefix + str(item.pattern), [*parts, item.pattern])
            elif isinstance(item, URLPattern):
                template = prefix + str(item.pattern)
                route = Route(template, item.name or "", item.callback, [*parts, item.pattern])
                bare = template.lstrip("^")
                for start, why in SKIPPED_PREFIXES.items():
                    if bare.startswith(start):
                        route.skip = why
                if route.name in SKIPPED_NAMES:
                    route.skip = SKIPPED_NAMES[route.name]
                found.append(route)
                yield None

    for _ in walk(get_resolver(), "", []):
        pass
    return found


# --- the row a view declares ------------------------------------------------------------------
def declared(callback: Any, method: str = "GET") -> Any:
    """The view's ``motcua_permission`` (a row name or a dict), or None."""
    value = getattr(callback, "motcua_permission", None)
    if value is not None:
        return value
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if cls is None:
        return None
    actions = getattr(callback, "actions", None)  # DRF viewsets: {"get": "list", …}
    if actions:
        handler = getattr(cls, actions.get(method.lower(), ""), None)
        value = getattr(handler, "motcua_permission", None)
        if value is None:  # a viewset that declares for all its actions
            value = getattr(cls, "motcua_permission", None)
        return value
    handler = getattr(cls, method.lower(), None)
    value = getattr(handler, "motcua_permission", None)
    return value if value is not None else getattr(cls, "motcua_permission", None)


def declares_any(callback: Any) -> bool:
    return declared(callback, "GET") is not None or declared(callback, "POST") is not None


def drf_action(callback: Any, method: str) -> str:
    return (getattr(callback, "actions", None) or {}).get(method.lower(), "")


def row_for(callback: Any, method: str, kwargs: dict[str, Any]) -> str | None:
    value = declared(callback, method)
    if value is None or isinstance(value, str):
        return value
    for key in (kwargs.get("name"), method, drf_action(callback, method)):
        if key and key in value:
            return value[key]
    return None


# --- the object of a route: its unit, assignee, applicant ---------------------------------------
PARENTS = ("dossier", "document", "certification", "entry", "task", "finding", "inspection",
           "initiative", "draft", "assessment", "plan", "score")  # fmt: skip
ASSIGNEE_ATTRS = ("assignee", "officer", "owner", "keeper", "team", "authors")


def _follow(obj: Any, attr: str, depth: int = 0) -> Any:
    """``obj.attr``, or the first parent's (depth-limited), or None."""
    if obj is None or depth > 4:
        return None
    if attr in {f.name for f in obj._meta.get_fields()}:
        return getattr(obj, attr, None)
    for parent in PARENTS:
        if parent in {f.name for f in obj._meta.get_fields() if f.many_to_one or f.one_to_one}:
            found = _follow(getattr(obj, parent, None), attr, depth + 1)
            if found is not None:
                return found
    return None


def unit_of(obj: Any) -> Any:
    from motcua.core.models import AdministrativeUnit

    if isinstance(obj, AdministrativeUnit):
        return obj
    unit = _follow(obj, "unit")
    if unit is None and obj is not None and hasattr(obj, "province"):
        unit = obj.province  # procedures and criteria sets belong to a province
    return unit


def _people(value: Any) -> set[int]:
    if value is None:
        return set()
    if hasattr(value, "all"):  # a many-to-many manager
        return set(value.all().values_list("pk", flat=True))
    return {value.pk}


def _incoming_handlers(document: Any) -> set[int]:
    ids: set[int] = set()
    for direction in document.directions.all():
        ids |= _people(direction.lead) | _people(direction.supporting)
    return ids


ASSIGNEE_OF_ROW: dict[str, Callable[[Any], set[int]]] = {
    # the council gives opinions; the authors apply (assignee_only of the two rows)
    "planning.initiative_opinion": lambda o: _people(o.council),
    "document.incoming_progress": _incoming_handlers,
}


def assignees_of(obj: Any, row: str) -> set[int] | None:
    from motcua.portal.models import Draft

    if obj is None or isinstance(obj, Draft):
        return None
    if row in ASSIGNEE_OF_ROW:
        return ASSIGNEE_OF_ROW[row](obj)
    for attr in ASSIGNEE_ATTRS:
        value = _follow(obj, attr)
        if value is not None:
            return _people(value)
    return None


def applicant_of(obj: Any) -> Any:
    from motcua.portal.models import Draft

    if isinstance(obj, Draft):
        return obj.owner
    return _follow(obj, "applicant_user")


# --- write detection ---------------------------------------------------------------------------
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?([\w.]+)', re.IGNORECASE)


def ignored_tables() -> dict[str, str]:
    """Tables a request may write whatever it is (with the reason)."""
    from django.apps import apps

    reasons = {
        ("sessions", "Session"): "the session (messages, login) is the visitor's, not data",
        ("axes", "AccessAttempt"): "django-axes' login attempts (lockout)",
        ("axes", "AccessLog"): "django-axes' access log",
        ("axes", "AccessFailureLog"): "django-axes' failure log",
        ("site", "VisitSalt"): "the website's visitor counter (daily salt)",
        ("site", "VisitorMark"): "the website's visitor counter (seen marks)",
        ("site", "VisitTotal"): "the website's visitor counter (totals)",
    }
    tables = {}
    for (app, model), why in reasons.items():
        try:
            tables[apps.get_model(app, model)._meta.db_table] = why
        except LookupError:
            continue
    return tables


@dataclass
class WriteRecorder:
    ignored: dict[str, str]
    user_table: str
    writes: list[str] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        match = WRITE.match(sql)
        if match:
            table = match.group(2).strip('"`')
            is_last_login = (
                table == self.user_table
                and match.group(1).upper() == "UPDATE"
                and re.search(r"SET\s+\"?last_login\"?\s*=[^,]*WHERE", sql, re.IGNORECASE)
            )
            if table not in self.ignored and not is_last_login:
                self.writes.append(f"{match.group(1).split()[0].upper()} {table}")
        return execute(sql, params, many, context)


# --- the visitors and the objects of the demo ward ------------------------------------------------
@dataclass
class World:
    ward: Any
    ward_b: Any
    province: Any
    actors: dict[str, Any]  # label -> User, None for the anonymous visitor
    objects: dict[str, Any]  # sample name -> model instance (or None when the demo has none)


def _first(queryset: Any) -> Any:
    return queryset.order_by("pk").first()


def build_world() -> World:
    """The demo ward (load_demo) and around it: a second ward B of the same province with one
    officer of each role, a ward of another province with its province viewer, the citizen
    who applied for the sample dossier, another citizen. The superuser (admin) is left out:
    it passes every check by definition."""
    from django.core.management import call_command

    from motcua.core.management.commands.load_demo import DEMO_CITIZEN, PROVINCE_CODE, WARD_CODE
    from motcua.core.models import AdministrativeUnit, Role, UnitKind, User
    from tests.conftest import make_user

    call_command("load_demo", verbosity=0)
    province = AdministrativeUnit.objects.get(code=PROVINCE_CODE)
    ward = AdministrativeUnit.objects.get(code=WARD_CODE)
    ward_b = _first(
        AdministrativeUnit.objects.filter(parent=province, kind=ward.kind).exclude(pk=ward.pk)
    )
    elsewhere = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", kind=UnitKind.PROVINCE
    )
    AdministrativeUnit.objects.create(
        code="00004", name="Phường Ba Đình", kind=UnitKind.WARD, parent=elsewhere
    )
    staff = {u.username: u for u in User.objects.all()}
    actors: dict[str, Any] = {
        "A.leader": staff["chutich"],
        "A.clerk": staff["vanthu"],
        "A.desk_officer": staff["motcua"],
        "A.specialist": staff["tuphap"],  # the assignee of the sample dossier
        "A.specialist_other": staff["diachinh"],  # same role, another field: not the assignee
        "A.website_editor": make_user("bientap_a", ward, Role.WEBSITE_EDITOR),
    }
    for role in (Role.LEADER, Role.CLERK, Role.DESK_OFFICER, Role.SPECIALIST, Role.WEBSITE_EDITOR):
        actors[f"B.{role}"] = make_user(f"b_{role}", ward_b, role)
    actors["province_viewer"] = staff["tinh"]
    actors["other_province_viewer"] = make_user("tinh_khac", elsewhere, Role.PROVINCE_VIEWER)
    actors["citizen_owner"] = User.objects.get(personal_id=DEMO_CITIZEN[0])
    actors["citizen_other"] = User.objects.create_user(
        username="cd079000000001",
        password="x-Strong-Pass-1",
        full_name="Lê Văn Khác",
        personal_id="079000000001",
        is_citizen=True,
    )
    actors["anonymous"] = None
    _samples_the_demo_lacks(ward, actors)
    objects = _objects(ward, province, actors)
    return World(ward, ward_b, province, actors, objects)


def _samples_the_demo_lacks(ward: Any, actors: dict[str, Any]) -> None:
    """What the demo ward does not have but a route is about: an incoming document with its
    scan, an outgoing one with an attachment, a copy-register entry (made by the services)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from motcua.certification.services import certify, register
    from motcua.documents.models import DocumentType
    from motcua.documents.services import incoming, outgoing
    from tests.sample_files import pdf_bytes

    clerk, leader = actors["A.clerk"], actors["A.leader"]
    letter = DocumentType.objects.filter(abbreviation="").first() or DocumentType.objects.first()
    incoming.register(
        ward,
        incoming.IncomingData(
            issuer="UBND tỉnh", reference="12/UBND-VP", document_date=date(2026, 3, 2),
            type=letter, abstract="V/v cải cách hành chính",
        ),
        actor=clerk,
        files=[("cong-van.pdf", pdf_bytes())],
    )  # fmt: skip
    pdf = SimpleUploadedFile("du-thao.pdf", pdf_bytes(), "application/pdf")
    annex = SimpleUploadedFile("phu-luc.pdf", pdf_bytes(), "application/pdf")
    outgoing.draft(
        ward,
        outgoing.Draft(type=letter, abstract="V/v báo cáo tháng", file=pdf, attachments=[annex]),
        actor=clerk,
    )
    dossier = _certification_dossier(ward, ward.parent, actors)
    if dossier is not None:
        item = certify.certification_for(dossier, create=True)
        register.enter(item, timezone.now(), leader, "Chủ tịch")


def _objects(ward: Any, province: Any, actors: dict[str, Any]) -> dict[str, Any]:
    from motcua.certification.models import Certification, RegisterEntry
    from motcua.core.models import OutboxMessage
    from motcua.documents.models import IncomingDocument, OutgoingDocument
    from motcua.documents.workfiles.models import WorkFile
    from motcua.dossiers.models import Dossier, Status
    from motcua.interop.models import SyncMessage
    from motcua.planning.models import (
        Complaint,
        Engagement,
        Finding,
        Initiative,
        Inspection,
        RemediationTask,
        TaskEvidence,
        WorkPlan,
    )
    from motcua.portal.models import Draft
    from motcua.procedures.models import Procedure
    from motcua.site.models import Feedback

    specialist, citizen = actors["A.specialist"], actors["citizen_owner"]
    dossiers = Dossier.objects.filter(unit=ward)
    dossier = (
        _first(dossiers.filter(assignee=specialist, status=Status.IN_PROGRESS))
        or _first(dossiers.filter(assignee=specialist))
        or _first(dossiers)
    )
    if dossier is not None:  # the owning citizen applied for it (online)
        Dossier.objects.filter(pk=dossier.pk).update(applicant_user=citizen)
        dossier.refresh_from_db()
    procedures = Procedure.objects.filter(province=province, published=True)
    procedure = _first(procedures.filter(pk=dossier.procedure_id)) if dossier else None
    procedure = procedure or _first(procedures)
    outbox = OutboxMessage.objects.filter(unit=ward)
    syncs = SyncMessage.objects.filter(dossier__unit=ward)
    incoming = IncomingDocument.objects.filter(unit=ward)
    outgoing = OutgoingDocument.objects.filter(unit=ward)
    tasks = RemediationTask.objects.filter(unit=ward)
    evidence = _first(TaskEvidence.objects.filter(task__unit=ward))
    found = {
        "dossier": dossier,
        "paper": _first(dossier.papers.all()) if dossier else None,
        "procedure": procedure,
        "certification_dossier": (copy := _certification_dossier(ward, province, actors)),
        "certification": Certification.objects.get_or_create(dossier=copy)[0] if copy else None,
        "register_entry": _first(RegisterEntry.objects.filter(unit=ward)),
        "draft": Draft.objects.create(owner=citizen, unit=ward, procedure=procedure),
        "outbox": _first(outbox.filter(status="failed")) or _first(outbox),
        "sync_message": _first(syncs.filter(outbox__status="failed")) or _first(syncs),
        "incoming": _first(incoming.filter(directions__isnull=False)) or _first(incoming),
        "incoming_with_file": _first(incoming.filter(files__isnull=False)),
        "outgoing": _first(outgoing.filter(attachments__isnull=False)) or _first(outgoing),
        "workfile": _first(WorkFile.objects.filter(plan__unit=ward)),
        "feedback": _first(Feedback.objects.filter(unit=ward)),
        "assessment": _assessment(ward, province, actors["A.leader"]),
        "plan": _first(WorkPlan.objects.filter(unit=ward)),
        "engagement": _first(Engagement.objects.filter(unit=ward, cancelled=False)),
        "inspection": _first(Inspection.objects.filter(unit=ward)),
        "finding": _first(Finding.objects.filter(inspection__unit=ward)),
        "task": evidence.task if evidence else _first(tasks),
        "evidence": evidence,
        "initiative": _first(Initiative.objects.filter(unit=ward)),
        "complaint": _first(Complaint.objects.filter(unit=ward)),
    }
    found["incoming_file"] = (
        _first(found["incoming_with_file"].files.all()) if found["incoming_with_file"] else None
    )
    found["attachment"] = _first(found["outgoing"].attachments.all()) if found["outgoing"] else None
    found["public_outgoing"] = _first(outgoing.filter(public=True)) or found["outgoing"]
    if found["assessment"] is not None:
        found["criterion"] = _first(found["assessment"].criteria_set.criteria.all())
    return found


def _certification_dossier(ward: Any, province: Any, actors: dict[str, Any]) -> Any:
    """A copy-certification dossier received at the desk (the demo has none)."""
    from motcua.dossiers.models import ApplicantKind, Channel
    from motcua.dossiers.services.intake import Applicant, PaperIn, receive, start_dossier
    from motcua.procedures.models import Procedure

    procedure = _first(
        Procedure.objects.filter(province=province, published=True, field__code="CHUNGTHUC")
    )
    if procedure is None:
        return None
    desk = actors["A.desk_officer"]
    dossier = start_dossier(
        actor=desk,
        unit=ward,
        procedure=procedure,
        channel=Channel.DESK,
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Trần Văn Bình", phone="0912345678"),
        papers=[PaperIn(name="Bản chính", originals=1)],
    )
    receive(dossier, actor=desk)
    return dossier


def _assessment(ward: Any, province: Any, leader: Any) -> Any:
    from motcua.reports.assessment.models import CriteriaSet
    from motcua.reports.assessment.services import open_assessment

    criteria_set = _first(CriteriaSet.objects.filter(province=province))
    return open_assessment(criteria_set, ward, actor=leader) if criteria_set else None


def _o(name: str) -> Callable[[World], Any]:
    return lambda w: w.objects.get(name)


def _kind(w: World) -> str:
    from motcua.dossiers.documents import available_forms

    dossier = w.objects["dossier"]
    forms = available_forms(dossier) if dossier else []
    return str(forms[0][0]) if forms else "receipt"


DOSSIER = {"pk": _o("dossier"), "kind": _kind, "paper_pk": _o("paper")}
CERTIFICATION = {"pk": _o("certification_dossier")}
# route name -> URL kwarg -> the sample (a model instance is passed as its pk).
SAMPLES: dict[str, dict[str, Callable[[World], Any]]] = {
    "portal-procedure": {"pk": _o("procedure")},
    "portal-apply": {"procedure_pk": _o("procedure")},
    "dossier-track": {"code": lambda w: w.objects["dossier"].code},
    **{
        name: {"pk": _o("draft"), "file_pk": lambda w: 1}  # no file: the draft has none
        for name in (
            "portal-draft",
            "portal-draft-upload",
            "portal-draft-remove",
            "portal-draft-discard",
        )
    },
    **{
        f"portal-{name}": DOSSIER
        for name in (
            "dossier",
            "form",
            "result",
            "certified-copy",
            "supplement",
            "delivery",
            "rate",
            "pay",
        )
    },
    "payment-simulator": {"path": lambda w: "paymentv2/vpcpay.html"},
    "desk-outbox-retry": {"pk": _o("outbox")},
    "interop-send-again": {"pk": _o("sync_message")},
    "certification-annotate": {"entry_pk": _o("register_entry")},
    **{
        f"certification-{name}": CERTIFICATION
        for name in ("page", "refuse", "certify", "retry", "status", "copy")
    },
    **{
        f"documents-{name}": {"pk": _o("incoming")}
        for name in ("incoming", "direct", "progress", "ack", "return")
    },
    "documents-incoming-file": {"pk": _o("incoming_with_file"), "file_pk": _o("incoming_file")},
    "documents-register": {"kind": lambda w: "den"},
    "documents-outgoing": {"pk": _o("outgoing")},
    "documents-outgoing-file": {"pk": _o("outgoing")},
    "documents-outgoing-attachment": {"pk": _o("outgoing"), "attachment_pk": _o("attachment")},
    "documents-action": {"pk": _o("outgoing")},
    **{
        f"documents-workfile{name}": {"pk": _o("workfile")}
        for name in ("", "-file", "-close", "-pdf")
    },
    "documents-workfile-file-document": {"kind": lambda w: "den", "pk": _o("incoming")},
    **{f"desk-{name}": DOSSIER for name in ("dossier", "action", "form", "paper-scan")},
    "site-feedback": {"pk": _o("feedback")},
    "site-feedback-publish": {"pk": _o("feedback")},
    "site-document-file": {"pk": _o("public_outgoing")},
    "reports-assessment-score": {"pk": _o("assessment"), "criterion_pk": _o("criterion")},
    "reports-assessment-action": {"pk": _o("assessment")},
    "reports-review": {"pk": _o("assessment")},
    "planning-plan": {"pk": _o("plan")},
    "planning-plan-action": {"pk": _o("plan")},
    "planning-engagement": {"pk": _o("engagement")},
    "planning-engagement-cancel": {"pk": _o("engagement")},
    "planning-inspection": {"pk": _o("inspection")},
    "planning-inspection-close": {"pk": _o("inspection")},
    "planning-assign": {"finding_pk": _o("finding")},
    "planning-finding-file": {"pk": _o("finding")},
    "planning-task": {"pk": _o("task")},
    "planning-evidence": {"pk": _o("task"), "evidence_pk": _o("evidence")},
    "planning-initiative": {"pk": _o("initiative")},
    "planning-initiative-action": {"pk": _o("initiative")},
    "planning-settle": {"pk": _o("complaint")},
    "procedure-detail": {"pk": _o("procedure")},
    "dossier-detail": {"pk": _o("dossier")},
    "dossier-act": {"pk": _o("dossier")},
    **{
        f"certified-copy-{name}": {"pk": _o("certification")}
        for name in ("detail", "certify", "copy-pdf")
    },
    "incoming-document-detail": {"pk": _o("incoming")},
    "outgoing-document-detail": {"pk": _o("outgoing")},
    "unit-detail": {"code": lambda w: w.objects["dossier"].unit.code},
    "wagtaildocs_authenticate_with_password": {"restriction_id": lambda w: 1},  # none: 404
}
# kwargs that mean the same on every route
GENERIC: dict[str, Callable[[World], Any]] = {
    "format": lambda w: "json",
    "index": lambda w: 1,
}
# whole paths for patterns with unnamed groups
PATHS = {
    "wagtail_serve": "/",  # the demo ward's home page
    "wagtaildocs_serve": "/tai-lieu/1/van-ban.pdf",  # the demo has no Wagtail document: 404
}


def _dossier_actions() -> list[str]:
    from motcua.dossiers.services.actions import CALLS

    return list(CALLS)


def _document_actions() -> list[str]:
    from motcua.documents.views import ACTIONS

    return list(ACTIONS)


# The action names of ``…/<str:name>/`` routes when the view's row is not a dict by name.
ACTION_NAMES: dict[str, Callable[[], list[str]]] = {
    "desk-action": _dossier_actions,
    "dossier-act": _dossier_actions,
    "documents-action": _document_actions,
    "planning-plan-action": lambda: ["duyet", "tu-choi", "bao-cao", "huy"],
    "planning-initiative-action": lambda: ["y-kien", "ket-luan", "ap-dung"],
    "reports-assessment-action": lambda: ["cap-nhat", "gui"],
}


@dataclass
class Variant:
    route: Route
    path: str
    kwargs: dict[str, Any]
    subject: Any  # the object the route is about, or None (a list, a form, a report)


def _substitute(part: Any, values: dict[str, Any]) -> str:
    text = str(part)
    if isinstance(part, RoutePattern):

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            return str(part.converters[name].to_url(values[name]))

        return re.sub(r"<(?:[^>:]+:)?([^>]+)>", one, text)
    # a regex (DRF's routers): named groups -> values, then the regex's own punctuation out
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), text)
    return text.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")


def variants(route: Route, world: World) -> tuple[list[Variant], str]:
    """The URLs to request for ``route`` (one per action name), or [] and why not."""
    from django.db.models import Model
    from django.urls import resolve

    if route.name in PATHS:
        return [Variant(route, PATHS[route.name], {}, None)], ""
    if route.unnamed_groups:
        return [], "a pattern with unnamed groups: add its path to PATHS"
    values: dict[str, Any] = {}
    subject = None
    for name in route.kwarg_names:
        if name == "name":
            continue
        sampler = SAMPLES.get(route.name, {}).get(name) or GENERIC.get(name)
        if sampler is None:
            return [], f"no sample for <{name}>: add it to SAMPLES"
        value = sampler(world)
        if value is None:
            return [], f"the demo data has no object for <{name}>"
        if isinstance(value, Model):
            subject = subject or value
            value = value.pk
        values[name] = value
    names: list[Any] = [None]
    if "name" in route.kwarg_names:
        declared_rows = [declared(route.callback, m) for m in ("GET", "POST")]
        by_name = next((d for d in declared_rows if isinstance(d, dict)), None)
        if by_name and not set(by_name) <= {"GET", "POST", "list", "create", "retrieve"}:
            names = list(by_name)
        elif route.name in ACTION_NAMES:
            names = ACTION_NAMES[route.name]()
        else:
            return [], "no action names for <name>: add them to ACTION_NAMES"
    found = []
    for action in names:
        kwargs = dict(values, **({"name": action} if action else {}))
        path = "/" + "".join(_substitute(part, kwargs) for part in route.parts)
        match = resolve(path)
        if match.func is not route.callback and match.url_name != route.name:
            return [], f"{path} resolves to {match.url_name}, not to this route"
        found.append(Variant(route, path, kwargs, subject))
    return found, ""

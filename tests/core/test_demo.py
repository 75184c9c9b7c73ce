from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from motcua.certification.selectors import trust_roots
from motcua.certification.verification import verify_pdf
from motcua.core.models import (
    AdministrativeUnit,
    AuditEvent,
    Neighbourhood,
    OutboxMessage,
    Role,
    RoleAssignment,
)
from motcua.core.services.audit import chains, verify_chain
from motcua.documents.models import (
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    WorkFile,
)
from motcua.planning.models import SchedulePublication, WorkPlan
from motcua.planning.services.remediation import escalate_overdue
from motcua.procedures.models import Procedure


def table_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in (
            "core",
            "procedures",
            "documents",
            "certification",
            "site",
            "dossiers",
            "reports",
            "portal",
            "planning",
        )
    }


def test_the_demo_ward_loads_and_a_second_run_changes_nothing(db):
    call_command("load_demo", verbosity=0)
    ward = AdministrativeUnit.objects.get(code="22924")
    assert ward.parent.code == "68"
    assert AdministrativeUnit.objects.filter(parent__code="68").count() == 124
    assert Neighbourhood.objects.filter(unit=ward).count() == 5
    held = set(RoleAssignment.objects.values_list("role", "position"))
    assert {r for r, _p in held} == set(Role.values)
    assert {p for _r, p in held} >= {
        "chairman",
        "vice_chairman",
        "justice_civil_status",
        "culture_society",
        "land_construction",
    }
    procedures = Procedure.objects.filter(province=ward.parent)
    assert procedures.count() >= 25
    assert {"HOTICH", "CHUNGTHUC"} <= set(procedures.values_list("field__code", flat=True))
    before = table_counts()
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    call_command("load_demo", verbosity=0)
    assert table_counts() == before
    assert AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() == last_event
    assert all(verify_chain(chain) is None for chain in chains())


def test_the_demo_ward_has_documents_in_every_queue_signed_and_filed(db):
    call_command("load_demo", verbosity=0)
    ward = AdministrativeUnit.objects.get(code="22924")
    received = IncomingDocument.objects.filter(unit=ward).order_by("number")
    # Numbered in the order of receipt, one in each state a clerk or leader works with.
    assert list(received.values_list("number", flat=True)) == [1, 2, 3, 4]
    dates = list(received.values_list("received_at", flat=True))
    assert dates == sorted(dates)
    assert {d.status for d in received} == {
        IncomingStatus.REGISTERED,
        IncomingStatus.DIRECTED,
        IncomingStatus.DONE,
    }
    assert any(d.due_at and d.due_at < timezone.now() and d.done_at is None for d in received)
    issued = OutgoingDocument.objects.filter(unit=ward, status=OutgoingStatus.ISSUED)
    assert sorted(issued.values_list("reference", flat=True)) == ["01/BC-UBND", "02/QĐ-UBND"]
    for document in issued:
        report = verify_pdf(document.signed_file.read(), trust_roots(ward))
        assert report.ok and len(report.signatures) == 2, report.problems
    # The report went to the province electronically and waits there for acknowledgement.
    arrived = IncomingDocument.objects.get(unit=ward.parent)
    assert arrived.source.reference == "01/BC-UBND" and arrived.acknowledged_at is None
    assert [f.signature_check for f in arrived.files.all()] == ["valid"]  # checked on arrival
    work_file = WorkFile.objects.get(plan__unit=ward)
    assert work_file.items.count() == 3


def test_the_demo_ward_has_three_months_of_dossiers_for_the_reports(db):
    from motcua.core import periods
    from motcua.core.figures import compute
    from motcua.dossiers.models import Dossier, Status

    call_command("load_demo", verbosity=0)
    ward = AdministrativeUnit.objects.get(code="22924")
    dossiers = Dossier.objects.filter(unit=ward)
    assert dossiers.count() > 30
    assert dossiers.filter(status=Status.RETURNED, timeliness="late").exists()
    assert dossiers.filter(apologies__isnull=False).exists()
    last = periods.month(timezone.localdate().replace(day=1) - timezone.timedelta(days=1))
    table = compute([ward.pk], last.start, last.end, ["received", "on_time_share"])
    assert table.value("received", ward.pk) > 0


def test_the_demo_ward_has_its_week_published_plans_late_and_a_task_for_the_leaders(db):
    call_command("load_demo", verbosity=0)
    ward = AdministrativeUnit.objects.get(code="22924")
    monday = timezone.localdate() - timezone.timedelta(days=timezone.localdate().weekday())
    assert SchedulePublication.objects.filter(unit=ward, week=monday).exists()
    assert set(WorkPlan.objects.values_list("status", flat=True)) >= {
        "submitted",
        "approved",
        "rejected",
        "reported",
    }
    assert escalate_overdue() == 1  # the periodic job tells the leaders of the overdue task
    told = OutboxMessage.objects.filter(kind="task_overdue")
    assert set(told.values_list("recipient", flat=True)) == {
        "chutich.phuthuy@lamdong.gov.vn",
        "phochutich.phuthuy@lamdong.gov.vn",
    }

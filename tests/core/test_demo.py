from django.apps import apps
from django.core.management import call_command

from motcua.core.models import AdministrativeUnit, AuditEvent, Neighbourhood, Role, RoleAssignment
from motcua.core.services.audit import chains, verify_chain
from motcua.procedures.models import Procedure


def table_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("core", "procedures")
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

from decimal import Decimal

from django.urls import reverse

from motcua.core.models import AuditEvent
from motcua.procedures.models import Field, Procedure
from motcua.procedures.services.workflow import workflow_errors


def test_step_budgets_must_add_up_to_the_processing_time():
    steps = [
        ("desk_officer", "", Decimal("0.5")),
        ("specialist", "land_construction", Decimal("2")),
        ("leader", "", Decimal("0.5")),
    ]
    assert workflow_errors(Decimal(3), steps) == []
    errors = workflow_errors(Decimal(5), steps)
    assert errors == [
        "Tổng thời gian các bước là 3 ngày làm việc nhưng thời hạn giải quyết là 5 ngày."
    ]


def test_a_specialist_step_names_a_position_and_roles_must_handle_dossiers():
    errors = workflow_errors(Decimal(1), [("specialist", "", Decimal(1))])
    assert errors == ["Bước 1: hãy ghi chức danh của công chức chuyên môn."]
    assert workflow_errors(Decimal(1), [("province_viewer", "", Decimal(1))])
    assert workflow_errors(Decimal(0), []) == ["Quy trình cần ít nhất một bước."]


def test_the_admin_refuses_steps_that_do_not_add_up_and_saves_nothing(admin_client, province):
    field = Field.objects.create(code="HOTICH", name="Hộ tịch")
    data = {
        "province": province.pk,
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": field.pk,
        "level": "commune",
        "processing_days": "3",
        "result": "Giấy khai sinh",
        "online_level": "full",
        "unconfirmed": "[]",
        "papers-TOTAL_FORMS": "0",
        "papers-INITIAL_FORMS": "0",
        "fees-TOTAL_FORMS": "0",
        "fees-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "0",
        "steps-0-name": "Tiếp nhận",
        "steps-0-role": "desk_officer",
        "steps-0-budget_days": "0.5",
        "steps-1-order": "1",
        "steps-1-name": "Thẩm định",
        "steps-1-role": "specialist",
        "steps-1-position": "justice_civil_status",
        "steps-1-budget_days": "1",
    }
    response = admin_client.post(reverse("admin:procedures_procedure_add"), data)
    assert response.status_code == 200
    assert "Tổng thời gian các bước là 1.5 ngày" in response.content.decode()
    assert Procedure.objects.count() == 0
    data["steps-1-budget_days"] = "2.5"
    response = admin_client.post(reverse("admin:procedures_procedure_add"), data)
    assert response.status_code == 302
    assert Procedure.objects.get().steps.count() == 2
    event = AuditEvent.objects.get(action="procedure.edit")
    assert event.after["steps"][1]["budget_days"] == "2.5"

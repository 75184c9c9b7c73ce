import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.importing import ImportFailed
from motcua.core.models import AdministrativeUnit, AuditEvent, UnitKind
from motcua.procedures.models import Procedure
from motcua.procedures.services.exchange import export_catalogue, import_catalogue
from motcua.procedures.services.xlsx import catalogue_from_xlsx, catalogue_to_xlsx

CATALOGUE = {
    "format": "motcua.procedures/1",
    "province": "68",
    "fields": [{"code": "CHUNGTHUC", "name": "Chứng thực"}, {"code": "DATDAI", "name": "Đất đai"}],
    "procedures": [
        {
            "code": "2.000815",
            "name": "Chứng thực bản sao từ bản chính",
            "field": "CHUNGTHUC",
            "level": "commune",
            "processing_days": "0",
            "processing_note": "Trong ngày; sau 15 giờ thì trả ngày làm việc tiếp theo",
            "result": "Bản sao được chứng thực",
            "electronic_result": True,
            "online_level": "full",
            "published": True,
            "legal_basis": "Nghị định 23/2015/NĐ-CP",
            "fees": [
                {"label": "Trang 1–2", "amount": 2000, "note": "mỗi trang"},
                {"label": "Từ trang 3", "amount": 1000, "note": "tối đa 200.000 đồng/bản"},
            ],
            "papers": [
                {
                    "name": "Bản chính giấy tờ",
                    "originals": 1,
                    "copies": 0,
                    "optional": False,
                    "note": "",
                }
            ],
            "steps": [
                {"name": "Tiếp nhận", "role": "desk_officer", "position": "", "budget_days": "0"},
                {"name": "Ký", "role": "leader", "position": "", "budget_days": "0"},
            ],
            "unconfirmed": [],
            "source": "thử nghiệm",
        },
        {
            "code": "1.012345",
            "name": "Hòa giải tranh chấp đất đai",
            "field": "DATDAI",
            "level": "commune",
            "processing_days": "30",
            "processing_note": "",
            "result": "Biên bản hòa giải",
            "electronic_result": False,
            "online_level": "partial",
            "published": False,
            "legal_basis": "Luật Đất đai 2024",
            "fees": [],
            "papers": [
                {
                    "name": "Đơn yêu cầu hòa giải",
                    "originals": 1,
                    "copies": 0,
                    "optional": False,
                    "note": "",
                }
            ],
            "steps": [
                {"name": "Tiếp nhận", "role": "desk_officer", "position": "", "budget_days": "0.5"},
                {
                    "name": "Hòa giải",
                    "role": "specialist",
                    "position": "land_construction",
                    "budget_days": "28.5",
                },
                {"name": "Ký", "role": "leader", "position": "vice_chairman", "budget_days": "0.5"},
                {
                    "name": "Trả kết quả",
                    "role": "desk_officer",
                    "position": "",
                    "budget_days": "0.5",
                },
            ],
            "unconfirmed": ["code"],
            "source": "thử nghiệm",
        },
    ],
}


def test_a_json_catalogue_round_trips(province):
    result = import_catalogue(copy.deepcopy(CATALOGUE), province=province, actor=None)
    assert (result.created, result.updated) == (2, 0)
    exported = export_catalogue(province)
    assert exported["procedures"] == sorted(CATALOGUE["procedures"], key=lambda p: p["code"])
    assert exported["fields"] == CATALOGUE["fields"]
    procedure = Procedure.objects.get(code="1.012345")
    assert procedure.legacy_level == 3 and procedure.unconfirmed == ["code"]


def test_an_xlsx_catalogue_round_trips_into_another_province(province):
    import_catalogue(copy.deepcopy(CATALOGUE), province=province, actor=None)
    workbook = catalogue_to_xlsx(export_catalogue(province))
    other = AdministrativeUnit.objects.create(code="79", name="Hồ Chí Minh", kind=UnitKind.CITY)
    import_catalogue(catalogue_from_xlsx(workbook, "79"), province=other, actor=None)
    mine, theirs = export_catalogue(province), export_catalogue(other)
    assert theirs["procedures"] == mine["procedures"]


def test_importing_the_same_catalogue_twice_changes_nothing(province):
    import_catalogue(copy.deepcopy(CATALOGUE), province=province, actor=None)
    events = AuditEvent.objects.count()
    result = import_catalogue(copy.deepcopy(CATALOGUE), province=province, actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events


def test_a_changed_procedure_is_updated_and_audited_with_before_and_after(province):
    import_catalogue(copy.deepcopy(CATALOGUE), province=province, actor=None)
    changed = copy.deepcopy(CATALOGUE)
    changed["procedures"][0]["fees"][0]["amount"] = 3000
    result = import_catalogue(changed, province=province, actor=None)
    assert result.updated == 1
    event = AuditEvent.objects.filter(action="procedure.import").order_by("-id").first()
    assert event.before["fees"][0]["amount"] == 2000 and event.after["fees"][0]["amount"] == 3000


def test_every_bad_row_is_reported_and_nothing_is_imported(province):
    bad = copy.deepcopy(CATALOGUE)
    first, second = bad["procedures"]
    first["processing_days"] = "1.3"
    first["fees"][0]["amount"] = -5
    second["steps"][1]["budget_days"] = "20"
    second["papers"][0]["originals"] = 0
    bad["procedures"].append(dict(copy.deepcopy(second), field="KHONGCO"))
    with pytest.raises(ImportFailed) as caught:
        import_catalogue(bad, province=province, actor=None)
    text = [str(e) for e in caught.value.errors]
    assert any(t.startswith("procedures[0]:") and "nửa ngày" in t for t in text)
    assert any(t.startswith("procedures[0].fees[0]:") for t in text)
    assert any(
        t.startswith("procedures[1]:") and "Tổng thời gian các bước là 21.5 " in t for t in text
    )
    assert any(t.startswith("procedures[1].papers[0]:") and "ít nhất một bản" in t for t in text)
    assert any(t.startswith("procedures[2]:") and "KHONGCO" in t for t in text)
    assert Procedure.objects.count() == 0


def test_xlsx_errors_name_the_sheet_and_row(province):
    bad = copy.deepcopy(CATALOGUE)
    bad["procedures"][1]["steps"][0]["role"] = "than_tien"
    data = catalogue_from_xlsx(catalogue_to_xlsx(bad), "68")
    with pytest.raises(ImportFailed) as caught:
        import_catalogue(data, province=province, actor=None)
    assert any(e.where == "Quy trình!dòng 4" for e in caught.value.errors)


def test_the_commands_export_and_import_files(province, tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(CATALOGUE, ensure_ascii=False), "utf-8")
    call_command("import_procedures", str(source))
    out = tmp_path / "out.xlsx"
    call_command("export_procedures", "--province", "68", "--output", str(out))
    Procedure.objects.all().delete()
    call_command("import_procedures", str(out), "--province", "68")
    assert Procedure.objects.count() == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    with pytest.raises(CommandError):
        call_command("import_procedures", str(broken))


def test_the_admin_import_page_lists_every_error_and_saves_nothing(admin_client, province):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    bad = copy.deepcopy(CATALOGUE)
    bad["procedures"][1]["steps"][1]["budget_days"] = "1"
    upload = SimpleUploadedFile("c.json", json.dumps(bad).encode(), "application/json")
    url = reverse("admin:procedures_procedure_import")
    page = admin_client.post(url, {"province": province.pk, "file": upload}).content.decode()
    assert "không nhập gì" in page and "procedures[1]" in page
    assert Procedure.objects.count() == 0
    good = SimpleUploadedFile("c.xlsx", catalogue_to_xlsx(CATALOGUE))
    response = admin_client.post(url, {"province": province.pk, "file": good})
    assert response.status_code == 302
    assert Procedure.objects.count() == 2

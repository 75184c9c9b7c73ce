from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.importing import ImportFailed
from motcua.core.models import AdministrativeUnit, AuditEvent, UnitKind
from motcua.core.services.units import import_units, parse_units_csv, rows_from_package

SAMPLE = Path(__file__).parent / "data" / "units_sample.csv"


def test_the_sample_csv_imports_provinces_then_communes(db):
    result = import_units(parse_units_csv(SAMPLE.read_text("utf-8")), actor=None)
    assert result.created == 6
    ward = AdministrativeUnit.objects.get(code="22924")
    assert (ward.kind, ward.parent.code) == (UnitKind.WARD, "68")
    assert AdministrativeUnit.objects.get(code="79").kind == UnitKind.CITY
    assert AdministrativeUnit.objects.get(code="23272").kind == UnitKind.SPECIAL_ZONE


def test_a_second_import_changes_nothing(db):
    rows = parse_units_csv(SAMPLE.read_text("utf-8"))
    import_units(rows, actor=None)
    events = AuditEvent.objects.count()
    result = import_units(parse_units_csv(SAMPLE.read_text("utf-8")), actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert AuditEvent.objects.count() == events


def test_the_statistics_office_export_layout_is_understood(db):
    text = (
        "Mã TP,Tỉnh / Thành Phố,Mã PX,Phường Xã,Cấp\n"
        "68,Tỉnh Lâm Đồng,22924,Phường Phú Thuỷ,Phường\n"
        "68,Tỉnh Lâm Đồng,22945,Phường Phan Thiết,Phường\n"
    )
    import_units(parse_units_csv(text), actor=None)
    assert AdministrativeUnit.objects.get(code="68").kind == UnitKind.PROVINCE
    assert AdministrativeUnit.objects.filter(parent__code="68").count() == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(db):
    text = (
        "Mã,Tên,Cấp,Mã cấp trên\n"
        "68,Lâm Đồng,Tỉnh,\n"
        "22924,Phường Phú Thuỷ,Phường,68\n"
        "2292X,Phường Lỗi,Phường,68\n"
        "22925,,Phường,68\n"
        "22926,Xã Không Cấp,Huyện,68\n"
        "22927,Xã Mồ Côi,Xã,\n"
        "22928,Xã Lạc,Xã,99\n"
        "22924,Phường Trùng,Phường,68\n"
        "22929,Xã Sai Cấp Trên,Xã,22924\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_units_csv(text)
    by_line = {e.where: e.message for e in caught.value.errors}
    assert set(by_line) == {f"dòng {n}" for n in (4, 5, 6, 7, 8, 9, 10)}
    assert "không phải là số" in by_line["dòng 4"]
    assert "Tên đang để trống" in by_line["dòng 5"]
    assert "Huyện" in by_line["dòng 6"]
    assert "phải ghi mã tỉnh" in by_line["dòng 7"]
    assert "99" in by_line["dòng 8"]
    assert "xuất hiện hai lần" in by_line["dòng 9"]
    assert "không phải tỉnh" in by_line["dòng 10"]
    assert AdministrativeUnit.objects.count() == 0


def test_a_file_without_the_needed_columns_is_refused(db):
    with pytest.raises(ImportFailed) as caught:
        parse_units_csv("code,title\n1,x\n")
    assert "Thiếu cột" in caught.value.errors[0].message


def test_the_command_imports_nothing_when_a_row_is_bad(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã,Tên,Cấp,Mã cấp trên\n68,Lâm Đồng,Tỉnh,\n22924,,Phường,68\n", "utf-8")
    with pytest.raises(CommandError):
        call_command("import_units", str(bad))
    assert "dòng 3" in capsys.readouterr().err
    assert AdministrativeUnit.objects.count() == 0


def test_the_package_list_is_the_post_2025_one_with_124_units_in_lam_dong(db):
    rows = rows_from_package("68")
    communes = [r for r in rows if r.parent == "68"]
    assert len(communes) == 124
    assert any(r.code == "22924" for r in communes)
    assert len(rows_from_package()) == 34 + 3321

"""The report pages: who sees what, clear errors for bad periods, drill-down, the province's
communes side by side, the 766 index, the TT 01/2018 evaluation and the dashboard."""

from decimal import Decimal

from django.urls import reverse

from motcua.core import periods
from motcua.core.models import AdministrativeUnit, Role, UnitKind
from motcua.reports import index766
from motcua.reports.evaluation import evaluate
from tests.conftest import make_user

MARCH = {"ky": "2026-03"}


def test_an_officer_sees_his_units_report_with_each_number_linked_to_its_dossiers(
    client, march, staff
):
    client.force_login(staff["justice"])
    page = client.get(reverse("reports-unit"), MARCH)
    assert page.status_code == 200
    text = page.content.decode()
    assert "tháng 03/2026" in text and "Tiếp nhận" in text
    rows = {row["figure"].key: row for s in page.context["sections"] for row in s["rows"]}
    assert rows["received"]["value"] == 8
    drill = client.get(rows["late_without_apology"]["drill"])
    assert [d.code for d in drill.context["page"]] == [march.dossiers["D4"].code]
    by_field = page.context["by_field"]
    assert [(r.name, r.received, r.returned, r.late) for r in by_field] == [("Hộ tịch", 8, 6, 2)]


def test_an_officer_cannot_open_another_units_figures(client, march, staff, other_ward):
    client.force_login(staff["justice"])
    assert (
        client.get(reverse("reports-unit"), {**MARCH, "don-vi": other_ward.code}).status_code == 403
    )
    drill = {"chi-tieu": "received", "ky": "2026-03", "don-vi": other_ward.code}
    assert client.get(reverse("reports-dossiers"), drill).status_code == 403
    assert client.get(reverse("reports-province"), MARCH).status_code == 403


def test_a_bad_period_gets_a_clear_vietnamese_message(client, march, staff):
    client.force_login(staff["justice"])
    page = client.get(reverse("reports-unit"), {"ky": "2026-13"})
    assert page.status_code == 400
    assert "không phải là một kỳ báo cáo" in page.content.decode()


def test_a_province_viewer_sees_every_commune_of_the_province_only(client, march, other_ward):
    elsewhere = AdministrativeUnit.objects.create(code="01", name="Hà Nội", kind=UnitKind.CITY)
    foreign = AdministrativeUnit.objects.create(
        code="00004", name="Phường Ba Đình", kind=UnitKind.WARD, parent=elsewhere
    )
    viewer = make_user("tinh", march.ward.province, Role.PROVINCE_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("reports-province"), {**MARCH, "sap-xep": "received"})
    names = [row["unit"].name for row in page.context["rows"]]
    assert names == ["Phường Phú Thuỷ", "Phường Phan Thiết"]  # sorted by received, most first
    assert page.context["rows"][0]["cells"][0][0] == 8
    ascending = client.get(
        reverse("reports-province"), {**MARCH, "sap-xep": "received", "chieu": "tang"}
    )
    assert next(row["unit"].name for row in ascending.context["rows"]) == "Phường Phan Thiết"
    assert client.get(reverse("reports-unit"), {**MARCH, "don-vi": foreign.code}).status_code == 403
    assert (
        client.get(reverse("reports-unit"), {**MARCH, "don-vi": other_ward.code}).status_code == 200
    )


def test_the_766_index_scores_each_indicator_from_its_figure(client, march, staff):
    score = index766.score(march.ward, periods.parse("2026-03"))
    assert score is not None and score.max_points == 100
    rows = {r.indicator.figure: r for g in score.groups for r in g.indicators}
    assert rows["on_time_share"].points == Decimal("13.33")  # 20 × 4/6
    assert rows["online_paid_share"].points == Decimal("3.00")  # 6 × 1/2
    assert rows["e_result_share"].points == Decimal("2.00")  # 6 × 2/6
    assert rows["digitised_share"].points == Decimal("0.50")  # 4 × 1/8
    assert rows["satisfaction_share"].points == Decimal("3.00")  # 6 × 1/2
    assert rows["synced_national_portal"].measured and rows["synced_national_portal"].points == 0
    assert not rows["full_online_share"].measured
    assert score.points == Decimal("21.83")
    assert score.measured_max == Decimal("48")  # 20 + 6 + 6 + 4 + 6 + 6: the measured ones
    client.force_login(staff["justice"])
    assert "13,33" in client.get(reverse("reports-index"), MARCH).content.decode()


def test_the_766_weights_are_data_and_a_new_edition_applies_from_its_date(march):
    from motcua.reports.models import IndexVersion

    edition = IndexVersion.objects.create(name="Bộ chỉ số 2026", valid_from="2026-03-01")
    group = edition.groups.create(name="Tiến độ", max_points=50)
    group.indicators.create(name="Đúng hạn", max_points=50, figure="on_time_share")
    assert index766.score(march.ward, periods.parse("2026-03")).points == Decimal("33.33")
    assert index766.score(march.ward, periods.parse("2026-02")).version != edition


def test_the_tt01_evaluation_per_dossier_officer_and_unit(march):
    result = evaluate(march.ward, periods.parse("2026-03"))
    points = {s.dossier.code: s.points for s in result.dossiers}
    d1 = points[march.dossiers["D1"].code]
    assert (d1[1], d1[3], d1[4], d1[6], d1[7]) == (2, 2, 2, 2, 2)  # early, no supplement, rated
    d4 = points[march.dossiers["D4"].code]
    assert (d4[1], d4[2], d4[4]) == (0, 0, None)  # late, a late step, not rated
    # Indicator 1 over K, D1–D5: early 2+2+2, on time 1, late 0+0 → 7/6 → 1.2.
    assert result.indicators[1] == Decimal("1.2")
    assert result.indicators[5] is None  # by inspection: not measured
    assert result.indicators[8] is None  # no feedback due
    assert result.indicators[9] == 1  # 2 of 8 dossiers online: 25%, between 15% and 30%
    officers = {o.officer.username: o for o in result.officers}
    assert set(officers) == {"motcua", "tuphap", "chutich"}
    assert officers["tuphap"].dossiers == 6


def test_the_dashboard_draws_its_charts_on_the_server(client, march, staff):
    client.force_login(staff["chairman"])
    page = client.get(reverse("reports-dashboard"), MARCH)
    text = page.content.decode()
    assert (
        page.status_code == 200
        and text.count("<svg") >= 3
        and "<script" not in text.split("<main")[1]
    )
    import re

    assert not re.search(r'\s(?:x|y|cx|cy|width|height)="[^"]*,', text)  # SVG numbers use dots
    assert page.context["late_by_field"].bars  # D3 and D4 were late
    lines = page.context["lines"]
    on_time = next(line for line in lines if "đúng hạn" in line.name)
    assert on_time.points[-1].value == "66,7%"  # March: 4 of 6

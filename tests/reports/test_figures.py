"""Every report figure on the hand-built March 2026 (tests/reports/conftest.py), with the
expected values written here; boundaries: returned at 23:59 on the last day, a reset due date,
a withdrawal, a dossier received the month before; a holiday in April."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.core import periods
from motcua.core.calendar import VN_TZ
from motcua.core.figures import NotMeasured, Share, all_figures, compute
from tests.dossiers.conftest import at, make_procedure

from .conftest import handle, received

MARCH = periods.parse("2026-03")

EXPECTED = {
    "received": 8,  # D1–D8; K came in February, D9 and D10 were never received
    "received_desk": 5,
    "received_post": 1,
    "received_online": 1,
    "received_online_assisted": 1,
    "online_share": Share(2, 8),
    "returned": 6,  # K, D1–D5 (D5 at 23:59 on 31 March)
    "returned_early": 3,  # K, D1, D5
    "returned_on_time": 1,  # D2
    "returned_late": 2,  # D3 (against its first due date), D4
    "on_time_share": Share(4, 6),
    "open_at_end": 2,  # D6, D8 (D7 was withdrawn)
    "overdue_at_end": 1,  # D8
    "refused_at_receipt": 1,  # D10
    "refused_after_appraisal": 0,
    "withdrawn": 1,  # D7
    "supplements": 1,  # D9
    "apologies": 1,  # D3, its due date reset once
    "apologies_late": 0,  # issued a working day ahead
    "late_without_apology": 1,  # D4
    "online_paid_share": Share(1, 2),  # D2 of D1, D2
    "e_result_share": Share(2, 6),  # D2, D5
    "digitised_share": Share(1, 8),  # D1's scan
    "full_online_share": Share(0, 0),  # the procedure is only partly online
    "e_certified": 0,
    "e_certified_copies": 0,
    "satisfaction_share": Share(1, 2),  # D1 very satisfied, D2 dissatisfied
    "rated": 2,
    "feedback_on_time": Share(0, 0),
    "docs_in_electronic": Share(0, 0),
    "docs_out_electronic": Share(0, 0),
    "docs_processed": Share(0, 0),
    "docs_signed": Share(0, 0),
    "staff_active": Share(0, 5),  # their audit events are of today, not of March 2026
    "staff_email": Share(0, 5),
    "procedures_online": Share(1, 1),
    "procedures_payable_online": Share(0, 0),  # no fee in the catalogue
    "procedures_paid_online": Share(0, 0),
    "e_copies_offered": Share(0, 0),
    "field_reports_on_time": Share(0, 0),  # planning: none in the hand-built month
    "remediation_on_time": Share(0, 0),
    "inspections_held": 0,
    "initiatives_recognised": 0,
    "propaganda": 0,
    "desk_conduct": Share(0, 0),
    "complaints_substantiated": 0,
    # Every status of the month is still waiting (no worker in this test), months past the
    # 24-hour delay: none on time (tests/interop checks the figure itself).
    "synced_national_portal": Share(0, 8),
}
NOT_MEASURED = {
    "website_visitors",
    "paper_certified",
    "published_on_time",
    "updated_on_time",
    "reused_data",
    "citizen_data_store",
    "population_db_procedures",
    "population_db_dossiers",
    "feedback_satisfaction",
}


def test_every_figure_on_the_hand_built_month(march):
    table = compute([march.ward.pk], MARCH.start, MARCH.end)
    assert set(EXPECTED) | NOT_MEASURED == set(all_figures())  # a new figure needs a value here
    got = {key: table.value(key, march.ward.pk) for key in EXPECTED}
    assert got == EXPECTED
    for key in NOT_MEASURED:
        assert isinstance(table.value(key, march.ward.pk), NotMeasured), key


def test_the_drill_down_lists_exactly_the_dossiers_counted(march):
    from motcua.core.figures import Scope

    scope = Scope((march.ward.pk,), MARCH.start, MARCH.end)
    d = march.dossiers
    figures = all_figures()
    assert set(figures["returned_late"].rows(scope)) == {d["D3"], d["D4"]}
    assert set(figures["late_without_apology"].rows(scope)) == {d["D4"]}
    assert set(figures["open_at_end"].rows(scope)) == {d["D6"], d["D8"]}
    assert set(figures["online_share"].rows(scope)) == {d["D2"], d["D5"]}
    assert figures["online_share"].rows(scope, part="denominator").count() == 8
    for key, figure in figures.items():
        if figure.drills and figure.kind == "count":
            assert figure.rows(scope).distinct().count() == EXPECTED[key], key


def test_a_dossier_returned_at_2359_on_the_last_day_is_in_that_month_only(march):
    april = periods.parse("2026-04")
    table = compute([march.ward.pk], april.start, april.end, ["returned", "open_at_end"])
    assert table.value("returned", march.ward.pk) == 0
    assert table.value("open_at_end", march.ward.pk) == 2  # D6, D8 carried over


def test_the_same_inputs_give_the_same_numbers(march):
    first = compute([march.ward.pk], MARCH.start, MARCH.end).values
    # New work in April changes nothing in March.
    later = received(march.ward, march.dossiers["D1"].procedure, _staff(march), "01/04/2026 09:00")
    assert later.received_at.month == 4
    assert compute([march.ward.pk], MARCH.start, MARCH.end).values == first


def _staff(march):  # type: ignore[no-untyped-def]
    from motcua.core.models import User

    names = {"desk": "motcua", "justice": "tuphap", "chairman": "chutich"}
    return {k: User.objects.get(username=v) for k, v in names.items()}


def test_a_holiday_is_not_a_working_day_for_the_due_date(ward, staff):
    # Friday 24/04/2026 + 3 working days: Monday 27/04 (Hùng Kings' day, observed), 30/04 and
    # 01/05 are days off, so the due date is 04/05 09:00 (29/04 without the holidays) and a
    # return on 04/05 at 08:30 is on time, not late.
    procedure = make_procedure(ward.province, code="1.000001")
    d = received(ward, procedure, staff, "24/04/2026 09:00")
    assert d.due_at == at("04/05/2026 09:00")
    handle(d, staff, transfer_at="24/04/2026 10:00", approve_at="04/05/2026 08:00",
           returned_at="04/05/2026 08:30")  # fmt: skip
    may = periods.parse("2026-05")
    table = compute([ward.pk], may.start, may.end, ["returned_on_time", "returned_late"])
    assert (table.value("returned_on_time", ward.pk), table.value("returned_late", ward.pk)) == (
        1,
        0,
    )


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2026-03", "2026-03-01", "2026-03-31"),
        ("2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-q4", "2026-10-01", "2026-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-02-10..2026-02-20", "2026-02-10", "2026-02-20"),
    ],
)
def test_periods_are_months_quarters_years_or_ranges_in_vietnam_time(code, first, last):
    period = periods.parse(code)
    assert (period.first.isoformat(), period.last.isoformat()) == (first, last)
    assert period.start.tzinfo == VN_TZ and period.end > period.start


@pytest.mark.parametrize("code", ["2026-13", "03/2026", "2026-Q5", "2026-03-20..2026-03-01", "x"])
def test_an_invalid_period_is_refused_with_a_clear_message(code):
    with pytest.raises(ValidationError) as raised:
        periods.parse(code)
    assert raised.value.messages


def test_the_previous_period_of_each_kind():
    assert periods.parse("2026-01").previous().code == "2025-12"
    assert periods.parse("2026-Q1").previous().code == "2025-Q4"
    assert periods.parse("2026").previous().code == "2025"
    assert periods.parse("2026-03-11..2026-03-20").previous().code == "2026-03-01..2026-03-10"
    assert datetime(2026, 3, 1, tzinfo=VN_TZ) == periods.parse("2026-03").start


def test_the_translatable_formulas_are_those_of_the_figures():
    """Run `manage.py report_formulas` after changing a figure's docstring."""
    from motcua.reports.management.commands.report_formulas import TARGET, source

    assert TARGET.read_text("utf-8") == source()


def test_every_figure_has_a_formula_and_a_vietnamese_one():
    from django.utils import translation

    for key, figure in all_figures().items():
        assert figure.formula, key
        with translation.override("vi"):
            assert figure.formula_text != figure.formula, key  # translated


def test_the_report_statements_do_not_grow_with_the_number_of_communes(province, ward):
    """Every figure counted row by row is one query per model for all the scope's units (the
    province's roll-up once ran two queries per commune for some of them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.core.models import AdministrativeUnit
    from motcua.reports.selectors import ROLL_UP

    def statements(units: list[int], keys: list[str] | None) -> int:
        with CaptureQueriesContext(connection) as captured:
            compute(units, MARCH.start, MARCH.end, keys)
        return len(captured)

    many = [ward.pk] + [
        AdministrativeUnit.objects.create(
            code=f"9{n:04d}", name=f"Xã Thử {n}", kind="commune", parent=province
        ).pk
        for n in range(5)
    ]
    assert statements(many, ROLL_UP) == statements([ward.pk], ROLL_UP)
    batched = [f.key for f in all_figures().values() if f.kind != "unit"]
    assert statements(many, batched) == statements([ward.pk], batched)

"""The demo ward's figures for fixed periods, kept in a file: moving a figure between apps, or
changing how the registry counts, must not change a single number or the report's order.

The demo is loaded on a fixed day (time-machine moves the clock; the demo's random choices are
seeded), so the figures are the same on every machine and every day. A figure whose value
really has to change is a decision: rewrite the file with ``MOTCUA_WRITE_SNAPSHOT=1`` (the test
then fails once, so that the new file is looked at and committed, never accepted silently).
"""

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils.translation import override

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit

SNAPSHOT = Path(__file__).parent / "snapshots" / "demo_figures.json"
DEMO_DAY = datetime(2026, 11, 18, 9, 0, tzinfo=VN_TZ)  # a Wednesday
PERIODS = ["2026-10", "2026-11", "2026-Q3", "2026"]


def _plain(value: object) -> object:
    from motcua.core.figures import NotMeasured

    if isinstance(value, NotMeasured):
        return {"not_measured": value.reason}
    if isinstance(value, int):
        return value
    return [value.numerator, value.denominator]  # type: ignore[attr-defined]


def demo_figures() -> dict:
    from motcua.core import periods
    from motcua.core.figures import SECTIONS
    from motcua.reports import selectors

    ward = AdministrativeUnit.objects.get(code="22924")
    found: dict = {"sections": {}, "ward": {}, "province": {}}
    for code in PERIODS:
        period = periods.parse(code, today=DEMO_DAY.date())
        table = selectors.unit_report(ward, period)
        found["ward"][code] = {f.key: _plain(table.value(f.key, ward.pk)) for f in table.figures}
        rolled = selectors.province_report(ward.province, period)
        found["province"][code] = {f.key: _plain(rolled.total(f.key)) for f in rolled.figures}
    # The order readers see: the sections of a unit's report, the province's columns.
    figures = selectors.unit_report(ward, periods.parse(PERIODS[0])).figures
    for key in SECTIONS:
        found["sections"][key] = [f.key for f in figures if f.section == key]
    found["province_columns"] = list(found["province"][PERIODS[0]])
    return found


@pytest.mark.slow
def test_the_demo_wards_figures_do_not_change_when_the_code_moves(db):
    with time_machine.travel(DEMO_DAY, tick=True), override("vi"):
        call_command("load_demo", verbosity=0)
        found = demo_figures()
    if os.environ.get("MOTCUA_WRITE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        pytest.fail(f"snapshot written to {SNAPSHOT}: check it and commit it")
    expected = json.loads(SNAPSHOT.read_text())
    assert found["sections"] == expected["sections"]
    assert found["province_columns"] == expected["province_columns"]
    for scope in ("ward", "province"):
        for code in PERIODS:
            differing = {
                key: (value, expected[scope][code].get(key))
                for key, value in found[scope][code].items()
                if value != expected[scope][code].get(key)
            }
            assert not differing, f"{scope} {code}: (now, snapshot) {differing}"
            assert set(found[scope][code]) == set(expected[scope][code])

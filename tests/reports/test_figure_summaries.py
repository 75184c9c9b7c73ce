"""Closed-period summaries (motcua.core.summaries): a closed period's figures are read from
one row per unit only while nothing they count has changed, and are then equal to counting the
rows; every table the figures read is watched by a trigger."""

import random
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import periods, summaries
from motcua.core.figures import Share, compute, summarised_keys
from motcua.core.models import FigureChange, FigureSummary
from motcua.dossiers.models import Apology, Dossier, DossierPaper
from motcua.portal.models import Payment, Rating
from tests.reports.test_figures_match_the_dossiers import history  # noqa: F401 (a fixture)

MARCH = periods.parse("2026-03")
# Read with the website's pages, but nothing is counted from them (a page's type and
# language): a write there changes no figure.
NOT_COUNTED = {"django_content_type", "wagtailcore_locale"}


def _statements(unit_ids, period, **options):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as statements:
        table = compute(unit_ids, period.start, period.end, **options)
    return table.values, statements.captured_queries


def _period(start, end):  # type: ignore[no-untyped-def]
    tz = MARCH.start.tzinfo
    last = (end - timedelta(days=1)).astimezone(tz).date()
    return periods.days_between(start.astimezone(tz).date(), last)


def _live(unit_ids, period):  # type: ignore[no-untyped-def]
    return compute(unit_ids, period.start, period.end, summaries=False).values


def test_every_table_the_figures_read_is_watched(march):
    from motcua.site.services.sites import create_site

    create_site(march.ward, hostname="phuthuy.test", is_default=True)  # the visits, the pages
    _values, statements = _statements(
        [march.ward.pk], MARCH, keys=summarised_keys(), summaries=False
    )
    sql = " ".join(q["sql"] for q in statements)
    read = set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))
    assert {"dossiers_dossier", "site_visittotal", "wagtailcore_page"} & read
    assert read - set(summaries.WATCHED) - NOT_COUNTED == set()


def test_a_closed_month_is_read_from_its_summary_in_a_few_statements(march):
    unit = march.ward.pk
    live, counted = _statements([unit], MARCH, summaries=False)
    assert summaries.refresh(units=[unit]) is not None
    read, statements = _statements([unit], MARCH)
    assert read == live
    # The summary, the clock-dependent figure (its dossiers' portal messages) and the units
    # for the not-measured figures, against some thirty statements counted.
    assert len(statements) <= 5 < len(counted)


def test_a_change_to_a_closed_month_is_counted_live_until_summarised_again(march):
    unit, d = march.ward.pk, march.dossiers
    summaries.refresh(units=[unit])
    assert compute([unit], MARCH.start, MARCH.end).value("satisfaction_share", unit) == Share(1, 2)
    # D2's applicant's rating corrected, months later: March's figure changes at once.
    Rating.objects.filter(dossier=d["D2"]).update(satisfaction="satisfied")
    assert FigureChange.objects.filter(unit_id=unit).exists()
    read, statements = _statements([unit], MARCH)
    assert read["satisfaction_share"][unit] == Share(2, 2)
    assert read == _live([unit], MARCH) and len(statements) > 5
    # D1's rating deleted, D5's papers removed (a child row deleted is logged too).
    Rating.objects.filter(dossier=d["D1"]).delete()
    DossierPaper.objects.filter(dossier=d["D5"]).delete()
    assert compute([unit], MARCH.start, MARCH.end).values == _live([unit], MARCH)
    # The scheduler's next run reads the log, drops the stale summaries, summarises again.
    read_changes, written = summaries.refresh(units=[unit])  # type: ignore[misc]
    assert read_changes >= 3 and written >= 1 and not FigureChange.objects.exists()
    read, statements = _statements([unit], MARCH)
    assert read == _live([unit], MARCH) and len(statements) <= 5


def test_a_change_to_this_month_leaves_the_closed_months_summaries_valid(march):
    from tests.reports.conftest import received
    from tests.reports.test_figures import _staff

    unit = march.ward.pk
    summaries.refresh(units=[unit])
    staff = _staff(march)
    later = received(march.ward, march.dossiers["D1"].procedure, staff, "01/04/2026 09:00")
    assert later.pk
    summaries.consume()
    assert FigureSummary.objects.filter(unit_id=unit, start=MARCH.start).exists()
    assert len(_statements([unit], MARCH)[1]) <= 5


def test_a_refresh_killed_midway_leaves_the_log_for_the_next_run(march, monkeypatch):
    unit, d = march.ward.pk, march.dossiers
    summaries.refresh(units=[unit])
    Apology.objects.filter(dossier=d["D3"]).update(timely=False)  # now a late apology

    def killed(changes):  # type: ignore[no-untyped-def]
        raise SystemExit("killed")

    monkeypatch.setattr(summaries, "_drop_stale", killed)
    with pytest.raises(SystemExit):
        summaries.refresh(units=[unit])
    monkeypatch.undo()
    assert FigureChange.objects.exists()  # nothing consumed; the stale summary is not read
    assert compute([unit], MARCH.start, MARCH.end).value("apologies_late", unit) == 1
    summaries.refresh(units=[unit])
    assert not FigureChange.objects.exists()
    read, statements = _statements([unit], MARCH)
    assert read["apologies_late"][unit] == 1 and len(statements) <= 5


def test_a_summary_of_other_figures_code_is_not_read(march):
    unit = march.ward.pk
    summaries.refresh(units=[unit])
    FigureSummary.objects.update(version="older", values={"received": 999})
    read, statements = _statements([unit], MARCH)
    assert read == _live([unit], MARCH) and len(statements) > 5
    summaries.refresh(units=[unit])
    assert not FigureSummary.objects.filter(version="older").exists()


def test_an_open_period_is_never_summarised(march):
    this_month = periods.month(periods.parse("2026-12").first)
    found = summaries.periods(this_month.start + timedelta(days=10))
    assert this_month not in found and all(p.end <= this_month.start for p in found)


def test_summaries_stay_equal_to_counting_after_random_writes(history, ward, other_ward):  # noqa: F811
    """Random corrections, deletions and additions to dossiers and their child rows after
    the summaries were made: every summarised period reads what counting gives."""
    rng = random.Random(1919)
    units = [ward.pk, other_ward.pk]
    summaries.refresh(units=units)
    made = list(FigureSummary.objects.values_list("start", "end").distinct())
    assert len(made) > 20
    dossiers = list(Dossier.objects.all())
    for d in rng.sample(dossiers, 15):
        shift = timedelta(days=rng.randrange(-40, 40))
        Dossier.objects.filter(pk=d.pk).update(received_at=d.received_at + shift)
    for d in rng.sample(dossiers, 5):
        Dossier.objects.filter(pk=d.pk).update(unit=other_ward if d.unit_id == ward.pk else ward)
    Apology.objects.filter(pk__in=list(Apology.objects.values_list("pk", flat=True)[:5])).delete()
    Payment.objects.filter(pk__in=list(Payment.objects.values_list("pk", flat=True)[:3])).update(
        status="failed"
    )
    DossierPaper.objects.filter(
        pk__in=list(DossierPaper.objects.values_list("pk", flat=True)[:5])
    ).update(scan="")
    checked = rng.sample(made, 12)
    for start, end in checked:
        period = _period(start, end)
        assert compute(units, period.start, period.end).values == _live(units, period), period
    summaries.refresh(units=units)
    for start, end in checked:
        period = _period(start, end)
        read, statements = _statements(units, period)
        assert read == _live(units, period) and len(statements) <= 5, period

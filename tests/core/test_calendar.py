from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.calendar import VN_TZ, WorkingCalendar
from motcua.core.models import CalendarOverride, OverrideKind
from motcua.core.selectors import calendar_for
from motcua.core.services.calendar import create_override

SESSIONS = [(time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))]
CAL = WorkingCalendar(SESSIONS)


def at(text: str) -> datetime:
    """'dd/mm/yyyy hh:mm' in Vietnam time."""
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        ("13/02/2026 09:00", 1, "23/02/2026 09:00", "Tết 2026: Mon 16/02–Fri 20/02 off"),
        ("13/02/2026 09:00", 5, "27/02/2026 09:00", "five days after Tết 2026"),
        ("16/02/2026 10:00", 1, "23/02/2026 17:00", "received during Tết counts from 23/02"),
        ("03/02/2027 09:00", 1, "11/02/2027 09:00", "Tết 2027: Thu 04/02–Wed 10/02 off"),
        ("29/04/2026 10:00", 1, "04/05/2026 10:00", "30/4 and 1/5/2026 fall Thu–Fri"),
        ("28/08/2026 09:00", 1, "03/09/2026 09:00", "Mon 31/08, 1/9, 2/9/2026 off"),
        ("21/08/2026 09:00", 1, "22/08/2026 09:00", "Sat 22/08/2026 is a working day"),
        ("24/04/2026 09:00", 1, "28/04/2026 09:00", "Hùng Kings 26/04/2026 observed Mon 27/04"),
        ("23/11/2026 09:00", 1, "25/11/2026 09:00", "Vietnam Culture Day 24/11/2026"),
        ("31/12/2026 16:00", 1, "04/01/2027 16:00", "New Year 2027 on Friday"),
        ("02/03/2026 09:00", Decimal("0.5"), "02/03/2026 14:45", "half a day is half the hours"),
        ("02/03/2026 07:30", 1, "02/03/2026 17:00", "a full day from the opening ends that day"),
        ("02/03/2026 12:00", 1, "03/03/2026 11:30", "lunch counts from the afternoon"),
        ("09/03/2026 09:00", -1, "06/03/2026 09:00", "one working day before, over a weekend"),
    ],
)
def test_adding_working_days_skips_weekends_holidays_and_keeps_the_time(start, days, expected, why):
    assert CAL.add_working_days(at(start), days) == at(expected), why


def test_receipt_after_the_cutoff_counts_from_the_next_working_day():
    cutoff = time(15, 0)
    assert CAL.due_at(at("14/05/2026 14:59"), 0, cutoff) == at("14/05/2026 17:00")
    assert CAL.due_at(at("14/05/2026 15:00"), 0, cutoff) == at("15/05/2026 17:00")
    assert CAL.due_at(at("13/02/2026 15:10"), 3, cutoff) == at("25/02/2026 17:00")
    assert CAL.due_at(at("13/02/2026 15:10"), 3, None) == at("25/02/2026 15:10")
    assert CAL.clock_start(at("15/05/2026 16:00"), cutoff) == at("18/05/2026 07:30")


def test_working_time_queries():
    assert CAL.is_working_time(at("02/03/2026 08:00"))
    assert not CAL.is_working_time(at("02/03/2026 12:00"))
    assert not CAL.is_working_time(at("17/02/2026 09:00"))  # Tết
    assert CAL.next_working_moment(at("07/03/2026 20:00")) == at("09/03/2026 07:30")
    assert CAL.next_working_moment(at("02/03/2026 12:00")) == at("02/03/2026 13:30")
    assert CAL.working_days_between(at("13/02/2026 09:00"), at("24/02/2026 09:00")) == 2
    assert CAL.working_days_between(at("02/03/2026 07:30"), at("02/03/2026 11:30")) == Fraction(
        8, 15
    )
    assert CAL.working_time_between(at("02/03/2026 11:00"), at("02/03/2026 14:00")) == timedelta(
        hours=1
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        CAL.add_working_days(datetime(2026, 3, 2, 9), 1)


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=VN_TZ)
)
half_days = st.integers(min_value=0, max_value=60).map(lambda n: Fraction(n, 2))


@settings(max_examples=300, deadline=None)
@given(a=moments, b=moments, days=half_days)
def test_adding_working_days_is_monotonic(a, b, days):
    early, late = sorted([a, b])
    assert CAL.add_working_days(early, days) <= CAL.add_working_days(late, days)


@settings(max_examples=300, deadline=None)
@given(moment=moments, a=half_days, b=half_days)
def test_adding_a_then_b_equals_adding_a_plus_b(moment, a, b):
    assert CAL.add_working_days(CAL.add_working_days(moment, a), b) == CAL.add_working_days(
        moment, a + b
    )


@settings(max_examples=300, deadline=None)
@given(moment=moments, days=half_days.filter(lambda d: d > 0))
def test_a_due_date_never_lands_outside_working_hours(moment, days):
    due = CAL.add_working_days(moment, days)
    assert CAL.is_working_day(due.date())
    assert any(start < due.time() <= end for start, end in SESSIONS)
    assert CAL.working_days_between(moment, due) == days or moment < CAL.next_working_moment(moment)


# --- administrator overrides (database) ------------------------------------------------------
def test_an_extra_day_off_and_a_working_saturday_change_the_unit_calendar(ward):
    create_override(
        actor=None,
        unit=None,
        kind=OverrideKind.DAY_OFF,
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 3),
        reason="Nghỉ bù theo quyết định của tỉnh",
    )
    create_override(
        actor=None,
        unit=ward,
        kind=OverrideKind.WORKING_DAY,
        start_date=date(2026, 3, 7),
        end_date=date(2026, 3, 7),
        reason="Làm bù",
    )
    calendar = calendar_for(ward)
    assert calendar.add_working_days(at("02/03/2026 09:00"), 1) == at("04/03/2026 09:00")
    assert calendar.add_working_days(at("06/03/2026 09:00"), 1) == at("07/03/2026 09:00")


def test_a_unit_override_beats_the_national_one(ward, other_ward):
    create_override(
        actor=None,
        unit=None,
        kind=OverrideKind.DAY_OFF,
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 4),
        reason="Nghỉ",
    )
    create_override(
        actor=None,
        unit=ward,
        kind=OverrideKind.WORKING_DAY,
        start_date=date(2026, 3, 4),
        end_date=date(2026, 3, 4),
        reason="Trực",
    )
    assert calendar_for(ward).is_working_day(date(2026, 3, 4))
    assert not calendar_for(other_ward).is_working_day(date(2026, 3, 4))


def test_overlapping_overrides_are_refused_and_nothing_is_saved(ward):
    create_override(
        actor=None,
        unit=ward,
        kind=OverrideKind.DAY_OFF,
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 6),
        reason="Bầu cử",
    )
    with pytest.raises(ValidationError) as caught:
        create_override(
            actor=None,
            unit=ward,
            kind=OverrideKind.WORKING_DAY,
            start_date=date(2026, 3, 6),
            end_date=date(2026, 3, 7),
            reason="Làm bù",
        )
    assert "trùng" in " ".join(caught.value.messages)
    assert CalendarOverride.objects.count() == 1


def test_an_override_ending_before_it_starts_is_refused(ward):
    with pytest.raises(ValidationError):
        create_override(
            actor=None,
            unit=ward,
            kind=OverrideKind.DAY_OFF,
            start_date=date(2026, 3, 6),
            end_date=date(2026, 3, 2),
            reason="x",
        )
    assert CalendarOverride.objects.count() == 0

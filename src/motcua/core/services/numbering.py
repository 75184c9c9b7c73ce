"""The one place that issues numbers the law makes sequential.

Per unit, per book, per period; gapless and unique under concurrent use: the counter row is
locked (SELECT ... FOR UPDATE) and incremented inside the caller's transaction, so a number
is kept only if the caller commits — a rolled-back transaction burns nothing.
"""

from datetime import date

from django.db import IntegrityError, transaction

from ..models import AdministrativeUnit, Counter


class NumberingError(RuntimeError):
    pass


def period_key(per: str, on: date) -> str:
    """'day' -> 2026-11-25, 'year' -> 2026, 'ever' -> ''."""
    if per == "day":
        return on.isoformat()
    if per == "year":
        return str(on.year)
    if per == "ever":
        return ""
    raise ValueError(f"unknown numbering period {per!r}")


def counter_key(unit: AdministrativeUnit | None, book: str, period: str) -> str:
    return f"{unit.pk if unit else 0}:{book}:{period}"


def next_number(unit: AdministrativeUnit | None, book: str, period: str = "") -> int:
    """Issue the next number of ``book`` for ``unit`` in ``period``.

    Must run inside ``transaction.atomic()``: the number belongs to the caller's transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError("next_number() must be called inside transaction.atomic()")
    key = counter_key(unit, book, period)
    locked = Counter.objects.select_for_update()
    counter = locked.filter(key=key).first()
    if counter is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent first issue may win the insert
                Counter.objects.create(key=key, unit=unit, book=book, period=period, value=0)
        except IntegrityError:
            pass
        counter = locked.get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def current_number(unit: AdministrativeUnit | None, book: str, period: str = "") -> int:
    """The last number issued (0 when none): a read, no lock."""
    value = (
        Counter.objects.filter(key=counter_key(unit, book, period))
        .values_list("value", flat=True)
        .first()
    )
    return value or 0

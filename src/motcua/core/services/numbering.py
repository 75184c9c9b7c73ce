"""The one place that issues numbers the law makes sequential.

Per unit, per book, per period; gapless and unique under concurrent use: the counter row is
incremented (and so locked) inside the caller's transaction, so a number is kept only if the
caller commits — a rolled-back transaction burns nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

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


@dataclass(frozen=True)
class Book:
    """One book's numbers to issue in a single statement: ``count`` consecutive numbers."""

    unit: AdministrativeUnit | None
    book: str
    period: str = ""
    count: int = 1

    @property
    def key(self) -> str:
        return counter_key(self.unit, self.book, self.period)


def next_number(unit: AdministrativeUnit | None, book: str, period: str = "") -> int:
    """Issue the next number of ``book`` for ``unit`` in ``period``.

    Must run inside ``transaction.atomic()``: the number belongs to the caller's transaction.
    """
    return next_numbers([Book(unit, book, period)])[counter_key(unit, book, period)]


def next_numbers(books: list[Book]) -> dict[str, int]:
    """Issue numbers in several books at once: key → the LAST number issued in that book (the
    first is ``last - count + 1``).

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35): it creates
    a missing counter and locks and increments an existing one in the same statement, so a
    first issue racing another needs no retry. Rows are taken in the order given — callers
    put the audit book last, as every other path does, so two transactions never wait on
    each other's counters in opposite orders.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError("next_number() must be called inside transaction.atomic()")
    if len({b.key for b in books}) != len(books) or any(b.count < 1 for b in books):
        raise NumberingError("each book once, with a count of at least one")
    quote = connection.ops.quote_name
    table, key, value = quote(Counter._meta.db_table), quote("key"), quote("value")
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(books))
    params: list[str | int | None] = []
    for b in books:
        params += [b.key, b.unit.pk if b.unit else None, b.book, b.period, b.count]
    sql = (
        f"INSERT INTO {table} ({key}, unit_id, book, period, {value}) VALUES {rows} "
        f"ON CONFLICT ({key}) DO UPDATE SET {value} = {table}.{value} + excluded.{value} "
        f"RETURNING {key}, {value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {name: int(number) for name, number in cursor.fetchall()}


def current_number(unit: AdministrativeUnit | None, book: str, period: str = "") -> int:
    """The last number issued (0 when none): a read, no lock."""
    value = (
        Counter.objects.filter(key=counter_key(unit, book, period))
        .values_list("value", flat=True)
        .first()
    )
    return value or 0

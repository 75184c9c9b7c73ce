import threading
from collections import Counter as Tally

import pytest
from django.db import connection, transaction

from motcua.core.services.numbering import NumberingError, current_number, next_number, period_key


def issue(unit, book="ho_so", period="2026-11-25"):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return next_number(unit, book, period)


def test_numbers_run_per_unit_book_and_period(ward, other_ward):
    assert [issue(ward) for _ in range(3)] == [1, 2, 3]
    assert issue(other_ward) == 1
    assert issue(ward, book="so_chung_thuc") == 1
    assert issue(ward, period="2026-11-26") == 1
    assert current_number(ward, "ho_so", "2026-11-25") == 3


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused(ward):
    with pytest.raises(NumberingError):
        next_number(ward, "ho_so", "2026")


def test_a_rolled_back_transaction_does_not_burn_a_number(ward):
    assert issue(ward) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(ward, "ho_so", "2026-11-25") == 2
        raise RuntimeError("the dossier failed to save")
    assert issue(ward) == 2


def test_period_keys():
    from datetime import date

    assert period_key("day", date(2026, 1, 5)) == "2026-01-05"
    assert period_key("year", date(2026, 1, 5)) == "2026"
    assert period_key("ever", date(2026, 1, 5)) == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_32_threads_allocating_5000_numbers_find_no_duplicate_and_no_gap(ward):
    threads, total = 32, 5000
    issued: list[int] = []
    lock, errors = threading.Lock(), []

    def work(count: int) -> None:
        try:
            mine = [issue(ward, book="stress", period="2026") for _ in range(count)]
            with lock:
                issued.extend(mine)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    shares = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=work, args=(n,)) for n in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    duplicates = [n for n, seen in Tally(issued).items() if seen > 1]
    assert duplicates == []
    assert sorted(issued) == list(range(1, total + 1))
    assert current_number(ward, "stress", "2026") == total

"""MotCua benchmarks (make bench). Every figure is printed beside a baseline from the same run.

- calendar: add_working_days calls/s, against plain datetime + timedelta and against the
  `holidays` package's own date-granular get_nth_working_day.
- numbering: numbers/s on PostgreSQL, 1 thread and 32 threads, each number in its own
  transaction; the 32-thread run is checked for duplicates and gaps.

PostgreSQL: MOTCUA_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/motcua_bench
(dropped and created afresh).
"""

import os
import sys
import threading
import time
from datetime import datetime, timedelta

BENCH_DB = os.environ.get(
    "MOTCUA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench"
)


def fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(fn, count: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(count)
    return rate(count, time.perf_counter() - start)


def bench_calendar() -> None:
    import holidays

    from motcua.core.calendar import VN_TZ
    from motcua.core.models import AdministrativeUnit
    from motcua.core.selectors import calendar_for

    ward = AdministrativeUnit.objects.get(code="22924")
    calendar = calendar_for(ward)
    start = datetime(2026, 2, 10, 9, 15, tzinfo=VN_TZ)
    moments = [start + timedelta(hours=7 * i) for i in range(1000)]
    vn = holidays.country_holidays("VN", years=range(2026, 2029))
    n = 200_000

    def ours(count: int) -> None:
        for i in range(count):
            calendar.add_working_days(moments[i % 1000], 5)

    def via_selector(count: int) -> None:
        for i in range(count):
            calendar_for(ward).add_working_days(moments[i % 1000], 5)

    def plain(count: int) -> None:
        for i in range(count):
            moments[i % 1000] + timedelta(days=5)

    def package(count: int) -> None:
        for i in range(count):
            vn.get_nth_working_day(moments[i % 1000].date(), 5)

    ours(1000)  # load the years once
    r_ours, r_plain = timed(ours, n), timed(plain, n)
    r_pkg, r_sel = timed(package, n // 10), timed(via_selector, n // 20)
    print("calendar: add_working_days(moment, 5)")
    print(f"  MotCua WorkingCalendar        {r_ours:12,.0f} calls/s")
    print(
        f"  calendar_for(unit) + add      {r_sel:12,.0f} calls/s  (one DB version check per call)"
    )
    print(f"  holidays.get_nth_working_day  {r_pkg:12,.0f} calls/s  (dates only, no hours)")
    print(f"  datetime + timedelta          {r_plain:12,.0f} calls/s  (no calendar at all)")
    print(
        f"  ratio MotCua / holidays package: {r_ours / r_pkg:.2f}x;"
        f" MotCua / bare timedelta: {r_ours / r_plain:.3f}x"
    )


def bench_numbering() -> None:
    from django.db import connection, transaction

    from motcua.core.models import AdministrativeUnit
    from motcua.core.services.numbering import current_number, next_number

    ward = AdministrativeUnit.objects.get(code="22924")

    def run(book: str, threads: int, total: int) -> float:
        issued: list[int] = []
        lock = threading.Lock()

        def work(count: int) -> None:
            mine = []
            for _ in range(count):
                with transaction.atomic():
                    mine.append(next_number(ward, book, "2026"))
            with lock:
                issued.extend(mine)
            connection.close()

        shares = [total // threads + (i < total % threads) for i in range(threads)]
        workers = [threading.Thread(target=work, args=(s,)) for s in shares]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        seconds = time.perf_counter() - start
        ok = (
            sorted(issued)
            == list(range(1, total + 1))
            == list(range(1, current_number(ward, book, "2026") + 1))
        )
        verdict = "no duplicate, no gap" if ok else "DUPLICATE OR GAP"
        print(
            f"  {threads:>2} thread(s): {total} numbers in {seconds:.2f} s"
            f" = {rate(total, seconds):8,.0f}/s  {verdict}"
        )
        if not ok:
            sys.exit(1)
        return rate(total, seconds)

    print(f"numbering on {connection.vendor} ({connection.settings_dict['NAME']}):")
    single = run("bench-1", 1, 5000)
    many = run("bench-32", 32, 5000)
    print(
        f"  ratio 32 threads / 1 thread: {many / single:.2f}x"
        " (one locked counter row serialises them)"
    )


def main() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    fresh_database(BENCH_DB)
    os.environ["DATABASE_URL"] = BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    bench_calendar()
    bench_numbering()


if __name__ == "__main__":
    main()

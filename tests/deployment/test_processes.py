"""The shape of deploy/ on one machine: two gunicorn processes and two task workers plus the
scheduler, all through PgBouncer in transaction mode onto one PostgreSQL 15 (made here with
initdb), Redis as the shared cache. Under concurrent receipts and website visits: no message
sent twice, no visitor lost or counted twice, every number gapless."""

import json
import os
import re
import shutil
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.api.test_dossiers_api import NEW

from .servers import (
    PYTHON_BIN,
    ROOT,
    Cluster,
    app_env,
    cluster_folder,
    free_port,
    gunicorn,
    manage,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.deployment, pytest.mark.slow]

RECEIPTS_PER_CLIENT, CLIENTS, VISITORS, VIEWS_EACH = 10, 8, 30, 3
REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pgbouncer(folder: Path, postgres: Cluster, port: int) -> subprocess.Popen[bytes]:
    """PgBouncer as deploy/pgbouncer.ini has it (transaction pooling), trust auth on loopback."""
    (folder / "userlist.txt").write_text('"postgres" ""\n')
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        f"[databases]\nmotcua = host=127.0.0.1 port={postgres.port} dbname=motcua\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\npool_mode = transaction\n"
        "max_client_conn = 400\ndefault_pool_size = 20\nserver_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    for path in (ini, folder / "userlist.txt"):
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
    user = "postgres" if os.geteuid() == 0 else None
    process = subprocess.Popen(["/usr/sbin/pgbouncer", str(ini)], user=user, cwd=folder)
    wait_for(lambda: postgres.run("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                  "-d", "motcua", "-Atqc", "select 1").stdout.strip() == "1",
             what="pgbouncer")  # fmt: skip
    return process


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):  # type: ignore[no-untyped-def]
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    folder = cluster_folder()
    postgres = Cluster(folder, free_port()).init_primary().start()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        postgres.sql("CREATE DATABASE motcua", database="postgres")
        bouncer_port = free_port()
        processes.append(pgbouncer(folder, postgres, bouncer_port))
        var = tmp_path_factory.mktemp("var")
        env = app_env(
            var,
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{bouncer_port}/motcua",
            MOTCUA_PGBOUNCER="1",
            MOTCUA_REDIS_URL=REDIS_URL,
            MOTCUA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            MOTCUA_VISITS_FLUSH_SECONDS="1",
        )
        direct = {**env, "DATABASE_URL": postgres.url}  # migrations bypass PgBouncer
        manage(direct, "migrate", "--noinput")
        manage(direct, "load_demo")
        token = re.search(r"token (\w+)", manage(env, "drf_create_token", "motcua"))[1]
        first = int(postgres.sql("SELECT coalesce(max(id), 0) FROM core_outboxmessage"))
        ports = [free_port(), free_port()]
        processes += [gunicorn(env, port, workers=1) for port in ports]
        for n in (1, 2):
            command = ["manage.py", "db_worker", "--interval", "0.5", "--worker-id", f"w{n}"]
            processes.append(subprocess.Popen([str(PYTHON_BIN / "python"), *command],
                                              env=env, cwd=ROOT))  # fmt: skip
        processes.append(subprocess.Popen([str(PYTHON_BIN / "python"), "manage.py",
                                           "run_schedule"], env=env, cwd=ROOT))  # fmt: skip
        yield ports, token, postgres, var, first
    finally:
        for process in reversed(processes):
            stop(process)
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _in_parallel(work, count: int) -> list[Exception]:  # type: ignore[no-untyped-def]
    errors: list[Exception] = []

    def run(n: int) -> None:
        try:
            work(n)
        except Exception as error:  # reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_app_processes_and_two_workers_send_once_count_every_visitor_and_number_gaplessly(
    deployment,
):  # type: ignore[no-untyped-def]
    ports, token, postgres, var, first = deployment

    def receive(n: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        for i in range(RECEIPTS_PER_CLIENT):
            port = ports[(n + i) % 2]  # each client alternates between the two processes
            made = session.post(f"http://127.0.0.1:{port}/api/v1/dossiers/", json=NEW, timeout=60)
            assert made.status_code == 201, made.text[:300]

    def visit(n: int) -> None:
        browser = requests.Session()
        browser.headers["User-Agent"] = f"Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 v{n}"
        for i in range(VIEWS_EACH):
            page = browser.get(f"http://127.0.0.1:{ports[(n + i) % 2]}/", timeout=60)
            assert page.status_code == 200

    assert _in_parallel(receive, CLIENTS) == []
    assert _in_parallel(visit, VISITORS) == []
    receipts = RECEIPTS_PER_CLIENT * CLIENTS

    # Every message the receipts queued is sent, once, by one of the two workers.
    # (The scheduler's own mail, e.g. the daily audit check's, is not the receipts'.)
    ours = f"id > {first} AND kind IN ('received', 'portal.receive')"
    unsent = f"SELECT count(*) FROM core_outboxmessage WHERE {ours} AND status <> 'sent'"
    wait_for(lambda: postgres.sql(unsent) == "0", timeout=240, what="the outbox")
    rows = postgres.sql(f"SELECT channel, attempts FROM core_outboxmessage WHERE {ours}")
    sent = Counter(line for line in rows.splitlines())
    assert sent == {"sms|1": receipts, "portal|1": receipts}, sent
    sms = [json.loads(line) for line in (var / "sms" / "sms.jsonl").read_text().splitlines()]
    ids = Counter(m["request_id"] for m in sms)
    assert max(ids.values()) == 1  # no SMS twice, whichever worker took it
    mine = postgres.sql(f"SELECT 'motcua-' || id FROM core_outboxmessage WHERE {ours} AND"
                        " channel = 'sms'").split()  # fmt: skip
    assert set(mine) <= set(ids)
    portal = [json.loads(line) for path in (var / "portal").glob("*.jsonl")
              for line in path.read_text().splitlines()]  # fmt: skip
    assert max(Counter(str(m) for m in portal).values()) == 1

    # Gapless numbers per unit: ledger lines per year, code sequence per day.
    lines = postgres.sql("SELECT unit_id, ledger_year, array_agg(ledger_line ORDER BY"
                         " ledger_line) FROM dossiers_dossier WHERE ledger_year IS NOT NULL"
                         " GROUP BY 1, 2")  # fmt: skip
    for row in lines.splitlines():
        numbers = [int(x) for x in row.split("|")[2].strip("{}").split(",")]
        assert numbers == list(range(1, len(numbers) + 1)), row
    codes = postgres.sql("SELECT code FROM dossiers_dossier WHERE code <> ''").split()
    by_day = Counter(code.rsplit("-", 1)[0] for code in codes)
    for day, count in by_day.items():
        sequence = sorted(int(c.rsplit("-", 1)[1]) for c in codes if c.startswith(day + "-"))
        assert sequence == list(range(1, count + 1)), day
    assert int(postgres.sql("SELECT count(*) FROM dossiers_dossier")) >= receipts

    # Each visitor counted once today, though their views went to both processes.
    today = "SELECT count(*) FROM site_visitormark WHERE period = 'day'"
    wait_for(lambda: postgres.sql(today) == str(VISITORS), timeout=60, what="the visit buffer")
    assert int(postgres.sql(today)) == VISITORS

"""Reports on a PostgreSQL streaming replica: a real primary and a real hot standby made with
the installed PostgreSQL 15 (initdb, pg_basebackup -R), MotCua served by gunicorn with
MOTCUA_REPLICA_DATABASE_URL. Replay is paused on the standby to make it lag for certain."""

import re
from datetime import datetime

import pytest
import requests

from motcua.core.management.commands.load_demo import DEMO_PASSWORD
from motcua.core.replica import PIN_COOKIE
from tests.api.test_dossiers_api import NEW

from .servers import Cluster, app_env, cluster_folder, free_port, gunicorn, manage, stop, wait_for

pytestmark = [pytest.mark.deployment, pytest.mark.slow]


@pytest.fixture(scope="module")
def primary_and_replica():  # type: ignore[no-untyped-def]
    folder = cluster_folder()
    primary = Cluster(folder, free_port()).init_primary().start()
    replica = None
    try:
        primary.sql("CREATE DATABASE motcua", database="postgres")
        replica = Cluster(folder, free_port()).init_replica_of(primary).start()
        yield primary, replica
    finally:
        for cluster in (replica, primary):
            if cluster is not None:
                cluster.stop()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def site(primary_and_replica, tmp_path_factory):  # type: ignore[no-untyped-def]
    primary, replica = primary_and_replica
    env = app_env(
        tmp_path_factory.mktemp("var"),
        DATABASE_URL=primary.url,
        MOTCUA_REPLICA_DATABASE_URL=replica.url,
        MOTCUA_REPLICA_CHECK_SECONDS="0",  # measure the lag on every figure: no stale state
        MOTCUA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    manage(env, "migrate", "--noinput")  # on the primary: the router migrates nothing else
    manage(env, "load_demo")
    tokens = {}
    for user in ("motcua", "chutich"):
        tokens[user] = re.search(r"token (\w+)", manage(env, "drf_create_token", user))[1]
    port, strict_port = free_port(), free_port()
    server = gunicorn(env, port)
    # The same site allowing no lag at all: it must answer from the primary while the copy lags.
    strict = gunicorn({**env, "MOTCUA_REPLICA_MAX_LAG_SECONDS": "0"}, strict_port, workers=1)
    try:
        yield (
            f"http://127.0.0.1:{port}",
            f"http://127.0.0.1:{strict_port}",
            tokens,
            primary,
            replica,
        )
    finally:
        stop(strict)
        stop(server)


def client(token: str) -> requests.Session:
    session = requests.Session()  # keeps cookies, as a browser does
    session.headers["Authorization"] = f"Token {token}"
    return session


def received(session: requests.Session, base: str) -> tuple[int, str | None]:
    answer = session.get(f"{base}/api/v1/reports/figures/", params={"unit": "22924"}, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    body = answer.json()
    [row] = [f for f in body["figures"] if f["key"] == "received"]
    return row["value"], body["as_of"]


def test_reports_are_read_from_the_replica_and_a_lagging_one_dates_its_figures(site):  # type: ignore[no-untyped-def]
    base, strict, tokens, primary, replica = site
    assert replica.sql("SELECT pg_is_in_recovery()") == "t"
    leader, desk = client(tokens["chutich"]), client(tokens["motcua"])
    wait_for(lambda: received(leader, base)[1] is None, what="the replica caught up")
    before, _ = received(leader, base)

    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        wait_for(lambda: replica.sql("SELECT pg_get_wal_replay_pause_state()") == "paused")
        made = desk.post(f"{base}/api/v1/dossiers/", json=NEW, timeout=30)
        assert made.status_code == 201, made.text[:500]  # writes go to the primary
        counted = int(primary.sql("SELECT count(*) FROM dossiers_dossier WHERE code <> ''"))
        assert (
            counted
            == int(replica.sql("SELECT count(*) FROM dossiers_dossier WHERE code <> ''")) + 1
        )

        # The leader's report comes from the paused copy: one dossier short, and dated.
        lagging, as_of = received(leader, base)
        assert lagging == before and as_of is not None
        assert datetime.fromisoformat(as_of) <= datetime.fromisoformat(made.json()["received_at"])
        browser = requests.Session()
        signed_in = browser.post(f"{base}/dang-nhap/", data={"username": "chutich", "password":
                                 DEMO_PASSWORD, "csrfmiddlewaretoken": _csrf(browser, base)},
                                 headers={"Referer": f"{base}/dang-nhap/"}, timeout=30)  # fmt: skip
        assert signed_in.ok and "dang-nhap" not in signed_in.url
        browser.cookies.pop(PIN_COOKIE, None)  # signing in is a write; the report is not ours
        page = browser.get(f"{base}/bao-cao/", params={"don-vi": "22924"}, timeout=30)
        assert page.ok and "Số liệu tính đến" in page.text

        # A site that allows no lag reads the primary instead, and says nothing of a copy.
        assert received(client(tokens["chutich"]), strict) == (before + 1, None)

        # The officer who just received it reads the primary: their own write is counted.
        own, own_as_of = received(desk, base)
        assert own == before + 1 and own_as_of is None
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")

    caught_up = wait_for(lambda: received(leader, base) == (before + 1, None), what="replay")
    assert caught_up


def _csrf(browser: requests.Session, base: str) -> str:
    form = browser.get(f"{base}/dang-nhap/", timeout=30).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]

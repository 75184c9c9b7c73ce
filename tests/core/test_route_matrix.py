"""Every route × every kind of visitor, against the permission table (core/permissions.py).

The routes come from the resolver (tests/core/route_matrix.py says how each is filled in and
what is left out). Visitors: each role of the demo ward (the sample object's assignee and a
specialist who is not), the same roles in a second ward of the province, the province viewer,
a province viewer of another province, the citizen who applied, another citizen, an anonymous
visitor; per route also the object's own assignee when none of these is. Each route is asked
with GET; a route whose row changes something also with an empty POST.

- allowed by the table (``can`` for the object's unit, assignee, applicant): not 401/403 and
  not sent to a login page; denied: 401, 403, 404 or sent to a login page (405 too for a GET
  of a POST-only action). No 500 ever.
- a denied request, and every GET, writes nothing (``ignored_tables`` lists what a request may
  write all the same; an allowed GET of a confidential record may add its access record to the
  audit log, which the law asks for).
- actions that declare a row for POST only are still asked with GET by everyone: no 500, no write.

One database for the whole module (the demo loaded once, rolled back at the end); every
request runs in a savepoint rolled back after it, so that an allowed POST leaves the next
request the same data. The size of the matrix is printed at the end of the run and written
to var/test-artifacts/route-matrix.txt.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from motcua.core.permissions import can, rule_for
from tests.core import route_matrix as rm
from tests.summary import SummaryLine

AUDIT_TABLE = "core_auditevent"
SIGN_OUT_ROWS = {"core.sign_out"}
# pytest-django makes the test database only for a session that has a test marked so; the
# marked tests themselves only read the module's matrix.
USES_DB = pytest.mark.django_db


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    route: str
    method: str
    path: str
    actor: str
    row: str | None
    expected: bool | None  # None: the route declares no row
    status: int
    location: str = ""
    writes: list[str] = field(default_factory=list)
    error: str = ""

    def line(self) -> str:
        wanted = {True: "allowed", False: "denied", None: "no row"}[self.expected]
        got = f"{self.status}" + (f" → {self.location}" if self.location else "")
        where = f"{self.method} {self.path} [{self.route}] {self.actor}"
        return f"{where}: row {self.row} {wanted}, got {got}"


@dataclass
class Matrix:
    routes: list[rm.Route]
    unfilled: dict[str, str]
    outcomes: list[Outcome]
    server_errors: list[str]
    mismatches: list[str]
    denied_writes: list[str]
    get_writes: list[str]
    allowed_404: list[str]
    actors: int
    seconds: float

    def summary(self) -> str:
        declared = {o.route for o in self.outcomes if o.row}
        counted = [o for o in self.outcomes if o.expected is not None]
        denied = sum(1 for o in counted if not o.expected)
        return (
            f"route matrix: {len(declared)} routes × {self.actors} actors = {len(counted)} "
            f"requests, {denied} denied, {len(counted) - denied} allowed "
            f"(+{len(self.outcomes) - len(counted)} GETs of POST-only actions: no 500, no write; "
            f"{self.seconds:.0f} s)"
        )


def _login_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("portal-sign-in")}


def _expected(user: Any, row: str, subject: Any) -> bool:
    rule = rule_for(row)
    who = user or AnonymousUser()
    if subject is None:
        return can(who, row)
    unit = rm.unit_of(subject)
    if unit is not None and rule.at_province and unit.parent_id:
        unit = unit.parent
    return can(
        who,
        row,
        unit,
        assignee=rm.assignees_of(subject, row),
        applicant=rm.applicant_of(subject),
    )


def _run(world: rm.World) -> Matrix:
    started = time.monotonic()
    login_paths = _login_paths()
    recorder_args = (rm.ignored_tables(), world.actors["A.leader"]._meta.db_table)
    clients: dict[str, tuple[Client, SimpleCookie]] = {}
    for label, user in world.actors.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[label] = (client, SimpleCookie(client.cookies.output(header="")))
    routes = rm.walk_routes()
    unfilled: dict[str, str] = {}
    outcomes: list[Outcome] = []
    for route in routes:
        if route.skip:
            continue
        found, why = rm.variants(route, world)
        if not found:
            unfilled[route.label] = why
            continue
        for variant in found:
            methods = ["GET"]
            post_row = rm.row_for(route.callback, "POST", variant.kwargs)
            if post_row and not rule_for(post_row).read:
                methods.append("POST")
            visitors = dict(world.actors)
            any_row = post_row or rm.row_for(route.callback, "GET", variant.kwargs) or ""
            for pk in sorted(rm.assignees_of(variant.subject, any_row) or ()):
                if pk not in {u.pk for u in visitors.values() if u is not None}:
                    from motcua.core.models import User

                    visitors[f"assignee:{User.objects.get(pk=pk).username}"] = User.objects.get(
                        pk=pk
                    )
            for method in methods:
                row = rm.row_for(route.callback, method, variant.kwargs)
                for label, user in visitors.items():
                    if label not in clients:
                        client = Client()
                        client.force_login(user)
                        clients[label] = (client, SimpleCookie(client.cookies.output(header="")))
                    client, cookies = clients[label]
                    expected = _expected(user, row, variant.subject) if row else None
                    outcomes.append(
                        _request(client, cookies, method, variant, label, row, expected,
                                 recorder_args, login_paths)
                    )  # fmt: skip
    return _judge(routes, unfilled, outcomes, len(world.actors), time.monotonic() - started)


def _request(client, cookies, method, variant, label, row, expected, recorder_args, login_paths):  # type: ignore[no-untyped-def]
    client.cookies = SimpleCookie(cookies.output(header=""))  # a logout must not stick
    cache.clear()  # no rate limit carried from one request to the next
    recorder = rm.WriteRecorder(*recorder_args)
    outcome = Outcome(variant.route.name, method, variant.path, label, row, expected, 0)
    try:
        with transaction.atomic(), connection.execute_wrapper(recorder):
            if method == "GET":
                response = client.get(variant.path)
            else:
                response = client.post(variant.path, {})
            raise _Rollback
    except _Rollback:
        outcome.status = response.status_code
        if response.status_code in (301, 302, 303, 307, 308):
            outcome.location = urlparse(response["Location"]).path
    except Exception as error:  # a server error: the client re-raises the view's exception
        outcome.status = 500
        outcome.error = f"{type(error).__name__}: {error}"[:300]
    outcome.writes = recorder.writes
    outcome.location = outcome.location if outcome.location in login_paths else ""
    return outcome


def _judge(routes, unfilled, outcomes, actors, seconds) -> Matrix:  # type: ignore[no-untyped-def]
    server_errors, mismatches, denied_writes, get_writes, allowed_404 = [], [], [], [], []
    for o in outcomes:
        if o.status >= 500:
            server_errors.append(f"{o.line()} {o.error}")
            continue
        # Signing out ends on the sign-in page: that is its success, not a refusal.
        to_login = bool(o.location) and o.row not in SIGN_OUT_ROWS
        if o.expected is True and (o.status in (401, 403) or to_login):
            mismatches.append(o.line())
        if o.expected is True and o.status == 404:
            allowed_404.append(o.line())
        if o.expected is False:
            refused = o.status in (401, 403, 404) or to_login
            post_only = o.method == "GET" and o.status == 405 and not rule_for(o.row).read
            if not (refused or post_only):
                mismatches.append(o.line())
            if o.writes:
                denied_writes.append(f"{o.line()} wrote {sorted(set(o.writes))}")
        if o.method == "GET" and o.writes:
            kept = [w for w in o.writes if not (o.expected and w == f"INSERT {AUDIT_TABLE}")]
            if kept:
                get_writes.append(f"{o.line()} wrote {sorted(set(kept))}")
    return Matrix(
        routes, unfilled, outcomes, server_errors, mismatches, denied_writes, get_writes,
        allowed_404, actors, seconds,
    )  # fmt: skip


def _report(matrix: Matrix) -> str:
    lacking = sorted(
        r.label for r in matrix.routes if not r.skip and not rm.declares_any(r.callback)
    )
    skipped = Counter(r.skip for r in matrix.routes if r.skip)
    sections = [
        matrix.summary(),
        f"skipped ({sum(skipped.values())}): "
        + "; ".join(f"{n} × {why}" for why, n in skipped.items()),
        f"routes without a permission row ({len(lacking)}):",
        *lacking,
        f"routes not requested ({len(matrix.unfilled)}):",
        *(f"{label}: {why}" for label, why in sorted(matrix.unfilled.items())),
        f"server errors ({len(matrix.server_errors)}):",
        *matrix.server_errors,
        f"access not as the table says ({len(matrix.mismatches)}):",
        *matrix.mismatches,
        f"denied requests that wrote ({len(matrix.denied_writes)}):",
        *matrix.denied_writes,
        f"GETs that wrote ({len(matrix.get_writes)}):",
        *matrix.get_writes,
        f"allowed but 404 (the object's selector hides it; not a failure) "
        f"({len(matrix.allowed_404)}):",
        *matrix.allowed_404,
        "every request (method path [route] actor: row, expected, got; writes):",
        *(
            o.line() + (f" wrote {sorted(set(o.writes))}" if o.writes else "")
            for o in matrix.outcomes
        ),
    ]
    return "\n".join(sections) + "\n"


@pytest.fixture(scope="module")
def matrix(request, django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    with (
        django_db_blocker.unblock(),
        translation.override("vi"),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            MOTCUA_SMS_BACKEND="file",
            MOTCUA_SMS_DIR=tmp_path_factory.mktemp("sms"),
            MOTCUA_VISITS_FLUSH_SECONDS=0,
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            result = _run(rm.build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()
    text = _report(result)
    artifacts = Path(settings.VAR_DIR) / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "route-matrix.txt").write_text(text, encoding="utf-8")
    request.config.pluginmanager.register(SummaryLine(result.summary()), "motcua-route-matrix")
    print("\n" + result.summary())
    return result


def _listed(title: str, items: list[str], limit: int = 60) -> str:
    shown = "\n".join(items[:limit])
    more = f"\n… and {len(items) - limit} more" if len(items) > limit else ""
    return f"{len(items)} {title} (all in var/test-artifacts/route-matrix.txt):\n{shown}{more}"


def test_every_route_declares_its_permission_row() -> None:
    lacking = [
        f"route {r.label} has no permission row"
        for r in rm.walk_routes()
        if not r.skip and not rm.declares_any(r.callback)
    ]
    assert not lacking, _listed("routes lack a row", lacking)


def test_every_declared_row_is_in_the_table() -> None:
    unknown = []
    for r in rm.walk_routes():
        for method in ("GET", "POST"):
            value = rm.declared(r.callback, method)
            names = value.values() if isinstance(value, dict) else [value] if value else []
            for name in names:
                try:
                    rule_for(name)
                except KeyError:
                    unknown.append(f"route {r.label}: {name!r} is not a row")
    assert not unknown, "\n".join(unknown)


@USES_DB
def test_every_route_has_a_sample_to_request(matrix: Matrix) -> None:
    missing = [f"{label}: {why}" for label, why in sorted(matrix.unfilled.items())]
    assert not missing, _listed("routes were not requested", missing)


@USES_DB
def test_no_route_gives_a_server_error_to_anyone(matrix: Matrix) -> None:
    assert not matrix.server_errors, _listed("server errors", matrix.server_errors)


@USES_DB
def test_every_visitor_gets_exactly_the_access_the_table_gives(matrix: Matrix) -> None:
    assert not matrix.mismatches, _listed("requests not as the table says", matrix.mismatches)


@USES_DB
def test_a_denied_request_changes_nothing(matrix: Matrix) -> None:
    assert not matrix.denied_writes, _listed("denied requests wrote", matrix.denied_writes)


@USES_DB
def test_a_get_changes_nothing(matrix: Matrix) -> None:
    assert not matrix.get_writes, _listed("GETs wrote", matrix.get_writes)

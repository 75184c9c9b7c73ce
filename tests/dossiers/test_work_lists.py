"""The desk's work lists: exact counts, the due-soon rule in SQL, a cost that does not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import selectors
from motcua.dossiers.deadlines import is_due_soon
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import queue, queue_counts
from motcua.dossiers.services.intake import receive

from .conftest import at, new_dossier

pytestmark = pytest.mark.django_db


def _open(ward, procedure, staff, count):  # type: ignore[no-untyped-def]
    found = []
    for _ in range(count):
        d = new_dossier(ward, procedure, staff["desk"])
        receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
        found.append(d)
    return found


def test_each_work_list_counts_every_dossier_not_only_those_shown(
    client, ward, procedure, staff, monkeypatch
):
    dossiers = _open(ward, procedure, staff, 5)
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(assignee=staff["desk"])
    monkeypatch.setattr(selectors, "LIST_LENGTH", 3)
    assert len(queue(staff["desk"], "mine")) == 3
    assert queue_counts(staff["desk"])["mine"] == 5
    client.force_login(staff["desk"])
    page = client.get("/mot-cua/", {"q": "mine"}).content.decode()
    assert "(5)" in page and "Hiển thị 3 hồ sơ đầu tiên trên tổng số 5 hồ sơ" in page


def test_the_due_soon_list_follows_the_working_day_rule_at_every_boundary(ward, procedure, staff):
    now = at("04/03/2026 16:30")  # Wednesday afternoon; one working day ends Thu 16:30
    dues = [
        at("04/03/2026 16:30"),  # now: no time left, still soon
        at("05/03/2026 16:30"),  # exactly one working day
        at("05/03/2026 16:31"),
        at("05/03/2026 16:30") + timedelta(microseconds=1),
        at("05/03/2026 11:30"),  # the lunch break counts nothing
        at("05/03/2026 12:15"),
        at("06/03/2026 07:30"),
        at("07/03/2026 09:00"),  # Saturday
        at("09/03/2026 08:00"),
        at("04/03/2026 16:29"),  # already late: in "late", not "soon"
    ]
    dossiers = _open(ward, procedure, staff, len(dues))
    for d, due in zip(dossiers, dues, strict=True):
        Dossier.objects.filter(pk=d.pk).update(due_at=due, status=Status.IN_PROGRESS)
    expected = {d.pk for d in Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
                if is_due_soon(d, now)}  # fmt: skip
    assert {d.pk for d in queue(staff["desk"], "due_soon", now)} == expected
    assert queue_counts(staff["desk"], now)["due_soon"] == len(expected)
    assert 2 <= len(expected) < len(dues) - 1  # the boundaries fall on both sides


def test_the_desk_page_costs_the_same_queries_however_many_dossiers_are_open(
    client, ward, procedure, staff
):
    client.force_login(staff["desk"])
    _open(ward, procedure, staff, 2)
    client.get("/mot-cua/")  # warm the per-process caches (calendar, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/mot-cua/").status_code == 200
    _open(ward, procedure, staff, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/mot-cua/").status_code == 200
    assert len(many) == len(few)

from datetime import datetime

import pytest
from django.db import connection

from motcua.core.calendar import VN_TZ
from motcua.dossiers.models import DossierEvent, EventKind
from motcua.dossiers.partitions import ensure_partitions, existing_years, partitioned
from motcua.dossiers.tasks import ensure_history_partitions

from .conftest import new_dossier


def _partition_of(event: DossierEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM dossiers_dossierevent WHERE id = %s",
                       [event.pk])  # fmt: skip
        return cursor.fetchone()[0]


def test_the_event_history_is_partitioned_by_year_and_next_year_is_made_ahead(
    ward, procedure, staff
):
    d = new_dossier(ward, procedure, staff["desk"])
    later = DossierEvent.objects.create(
        dossier=d, kind=EventKind.RECEIVED, at=datetime(2031, 1, 1, 0, 30, tzinfo=VN_TZ)
    )
    if connection.vendor != "postgresql":  # the laptop's SQLite: one plain table
        assert not partitioned() and ensure_partitions() == []
        return
    assert partitioned()
    # 00:30 on 1 January in Vietnam is still 2030 in UTC: the years are Vietnam's.
    assert _partition_of(later) == "dossiers_dossierevent_default"
    created = ensure_partitions(now=datetime(2030, 12, 1, tzinfo=VN_TZ))
    assert created == [2030, 2031]  # next year ahead, and the year the default held rows of
    assert _partition_of(later) == "dossiers_dossierevent_y2031"
    assert {2030, 2031} <= existing_years()
    assert ensure_partitions(now=datetime(2030, 12, 1, tzinfo=VN_TZ)) == []  # once
    now = DossierEvent.objects.create(dossier=d, kind=EventKind.RECEIVED, at=d.created_at)
    assert _partition_of(now) == f"dossiers_dossierevent_y{d.created_at.astimezone(VN_TZ).year}"
    assert DossierEvent.objects.filter(dossier=d).count() == 2  # one table to the ORM
    ensure_history_partitions.call()  # the periodic job: nothing left to create


def test_dossiers_are_partitioned_by_the_year_their_id_carries(ward, procedure, staff):
    from django.db import IntegrityError, transaction

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.partitions import DOSSIERS, ID_YEAR
    from motcua.dossiers.services.intake import receive

    d = new_dossier(ward, procedure, staff["desk"])
    if connection.vendor != "postgresql":
        assert not partitioned(DOSSIERS.table)
        return
    assert partitioned(DOSSIERS.table)
    year = d.created_at.astimezone(VN_TZ).year
    assert d.pk // ID_YEAR == year
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM dossiers_dossier WHERE id = %s",
                       [d.pk])  # fmt: skip
        assert cursor.fetchone()[0] == f"dossiers_dossier_y{year}"
    receive(d, actor=staff["desk"])
    d.refresh_from_db()
    other = new_dossier(ward, procedure, staff["desk"])
    # The code and the ledger line stay unique across the partitions (kept by a trigger).
    for field, value in (("code", d.code), ("ledger_line", d.ledger_line)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dossier.objects.filter(pk=other.pk).update(
                **{field: value, "ledger_year": d.ledger_year}
            )
    # A year's partition is made a year ahead by the periodic job; an id of a year without
    # one is refused, not lost in a catch-all.
    later = (year + 5) * ID_YEAR + 1
    fields = {"unit": ward, "procedure": procedure, "channel": "desk", "code": "LATER-1",
              "applicant_kind": "citizen", "applicant_name": "Trần Thị B"}  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.create(id=later, **fields)
    with connection.cursor() as cursor:  # the test's own writes checked, as at a commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert ensure_partitions(now=datetime(year + 4, 12, 1, tzinfo=VN_TZ)) == [
        year + 4,
        year + 5,
    ]
    assert {year, year + 1, year + 4, year + 5} <= existing_years(DOSSIERS.table)
    Dossier.objects.create(id=later, **fields)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM dossiers_dossier WHERE id = %s",
                       [later])  # fmt: skip
        assert cursor.fetchone()[0] == f"dossiers_dossier_y{year + 5}"
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=d.pk).update(code="LATER-1")  # unique across partitions

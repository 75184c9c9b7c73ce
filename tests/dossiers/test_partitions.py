from datetime import datetime

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

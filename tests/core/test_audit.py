import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from motcua.core.models import AuditEvent
from motcua.core.models.audit import AppendOnlyError
from motcua.core.services import audit


def record_three(unit):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        for n in range(3):
            audit.record(
                actor=None,
                action="test.step",
                unit=unit,
                object_type="test",
                object_id=str(n),
                before={"n": n},
                after={"n": n + 1},
                reason="thử",
            )


def test_events_chain_per_unit_and_verify(ward, other_ward):
    record_three(ward)
    record_three(other_ward)
    events = list(AuditEvent.objects.filter(chain=str(ward.pk)).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert audit.verify_chain(str(ward.pk)) is None
    call_command("verify_audit")


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(ward):
    record_three(ward)
    event = AuditEvent.objects.first()
    event.reason = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _sql(statement: str, *params) -> None:  # type: ignore[no-untyped-def]
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def _tamper(statement: str, *params) -> None:  # type: ignore[no-untyped-def]
    """What someone with database rights can do: drop the guard trigger, then edit."""
    if connection.vendor == "postgresql":
        _sql("DROP TRIGGER core_auditevent_no_update ON {table}")
    else:
        _sql("DROP TRIGGER core_auditevent_no_update")
    _sql(statement, *params)


def test_the_database_itself_refuses_to_update_an_audit_row(ward):
    from django.db import DatabaseError

    record_three(ward)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE {table} SET reason = %s WHERE seq = 1", "sửa")


def test_a_row_edited_in_sql_is_caught_at_the_first_broken_link(ward):
    record_three(ward)
    _tamper("UPDATE {table} SET reason = %s WHERE chain = %s AND seq = 2", "đã sửa", str(ward.pk))
    link = audit.verify_chain(str(ward.pk))
    assert (link.seq, link.problem) == (2, "content changed after it was written")
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_a_row_deleted_in_sql_is_caught(ward):
    record_three(ward)
    _tamper("DELETE FROM {table} WHERE chain = %s AND seq = 2", str(ward.pk))
    assert audit.verify_chain(str(ward.pk)).seq == 2


def test_the_last_row_deleted_in_sql_is_caught(ward):
    record_three(ward)
    _tamper("DELETE FROM {table} WHERE chain = %s AND seq = 3", str(ward.pk))
    link = audit.verify_chain(str(ward.pk))
    assert (link.seq, link.problem) == (3, "missing event at the end of the chain")


def test_a_rehashed_row_still_breaks_the_next_link(ward):
    record_three(ward)
    forged = AuditEvent.objects.get(chain=str(ward.pk), seq=2)
    forged.reason = "giả mạo"
    new_hash = audit.event_hash(audit._hashed_fields(forged))
    _tamper(
        "UPDATE {table} SET reason = %s, hash = %s WHERE chain = %s AND seq = 2",
        "giả mạo",
        new_hash,
        str(ward.pk),
    )
    assert audit.verify_chain(str(ward.pk)).seq == 3

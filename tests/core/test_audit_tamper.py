"""Tamper evidence that survives the database's owner: the owner drops the guard trigger,
edits an event and recomputes the whole chain with the public algorithm (or deletes the last
events and winds the counter back), so that the chain alone verifies; the checkpoints kept
outside the database, under an HMAC whose key is not in the database, still catch it."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from motcua.core.models import AuditEvent, Counter
from motcua.core.schedule import AUDIT_CHECKPOINT, JOBS
from motcua.core.services import audit, checkpoints
from motcua.core.services.numbering import counter_key

from .test_audit import record_three


def _sql(statement: str, *params) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=AuditEvent._meta.db_table), params)


def _as_owner(work) -> None:  # type: ignore[no-untyped-def]
    """The owner's way: the guard trigger off, the edit, the trigger back (it was never gone)."""
    if connection.vendor == "postgresql":
        _sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER TABLE may run
        _sql("ALTER TABLE {table} DISABLE TRIGGER core_auditevent_no_update")
        work()
        _sql("ALTER TABLE {table} ENABLE TRIGGER core_auditevent_no_update")
    else:
        _sql("DROP TRIGGER core_auditevent_no_update")
        work()
        _sql(
            "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
        )


def _rechain(chain: str) -> None:
    """Recompute every hash of the chain in order, as anyone reading our code can."""
    previous = audit.GENESIS
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
        event.prev_hash = previous
        event.hash = audit.event_hash(audit._hashed_fields(event))
        _sql("UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",
             event.prev_hash, event.hash, event.pk)  # fmt: skip
        previous = event.hash


def _verify() -> str:
    """verify_audit's refusal (Vietnamese), or '' when it passes."""
    try:
        call_command("verify_audit")
    except CommandError as refused:
        return str(refused)
    return ""


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_chain_passes_the_chain_check_but_not_the_checkpoint(ward, capsys):
    record_three(ward)
    checkpoints.write_checkpoints()
    chain = str(ward.pk)

    def rewrite() -> None:
        _sql("UPDATE {table} SET reason = %s WHERE chain = %s AND seq = 2", "đã sửa", chain)
        _rechain(chain)

    _as_owner(rewrite)

    assert audit.verify_chain(chain) is None  # the chain alone is fooled
    _count, problems = checkpoints.verify_checkpoints()
    assert [(p.chain, p.seq, p.kind) for p in problems] == [(chain, 3, "rewritten")]
    refusal = _verify()
    assert "KHÔNG còn nguyên vẹn" in refusal
    assert "bị ghi lại" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_events_deleted_after_a_checkpoint_are_caught_even_with_the_counter_wound_back(ward):
    record_three(ward)
    checkpoints.write_checkpoints()
    chain = str(ward.pk)

    def cut() -> None:
        with transaction.atomic():
            _sql("DELETE FROM {table} WHERE chain = %s AND seq = 3", chain)
            Counter.objects.filter(key=counter_key(ward, audit.AUDIT_BOOK, "")).update(value=2)

    _as_owner(cut)

    assert audit.verify_chain(chain) is None
    _count, problems = checkpoints.verify_checkpoints()
    assert [(p.seq, p.kind) for p in problems] == [(3, "truncated")]
    assert "KHÔNG còn nguyên vẹn" in _verify()


@pytest.mark.django_db
def test_a_checkpoint_line_not_signed_with_the_audit_key_is_reported(ward, settings):
    record_three(ward)
    path = checkpoints.write_checkpoints()
    line = json.loads(path.read_text().splitlines()[0])
    line["hash"] = "0" * 64  # a forger writes the head he wants to vouch for
    path.write_text(json.dumps(line) + "\n")

    _count, problems = checkpoints.verify_checkpoints()
    assert [p.kind for p in problems] == ["forged"]
    assert "không được ký bằng khoá" in problems[0].message


@pytest.mark.django_db
def test_an_untouched_log_and_its_checkpoints_agree(ward, other_ward, capsys):
    record_three(ward)
    record_three(other_ward)
    call_command("verify_audit", "--checkpoint")
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "nguyên vẹn: 2 chuỗi" in out and "2 điểm kiểm tra" in out


@pytest.mark.django_db
def test_the_daily_job_checkpoints_every_chain_but_never_a_broken_log(ward, other_ward):
    assert JOBS[AUDIT_CHECKPOINT].task == "motcua.core.tasks.checkpoint_audit"
    record_three(ward)
    record_three(other_ward)
    JOBS[AUDIT_CHECKPOINT].load().call()
    path = next(checkpoints.directory().glob("*.jsonl"))
    heads = [json.loads(text) for text in path.read_text().splitlines()]
    assert sorted((h["chain"], h["seq"]) for h in heads) == sorted(
        [(str(ward.pk), 3), (str(other_ward.pk), 3)]
    )

    _as_owner(lambda: _sql("UPDATE {table} SET reason = 'x' WHERE seq = 1"))
    result = JOBS[AUDIT_CHECKPOINT].load().call()
    assert "KHÔNG còn nguyên vẹn" in result
    assert len(path.read_text().splitlines()) == 2  # nothing vouched for the broken log


@pytest.mark.django_db
def test_the_key_lives_outside_the_database_in_a_private_file(settings, ward):
    record_three(ward)
    checkpoints.write_checkpoints()
    key_file = settings.MOTCUA_AUDIT_KEY_FILE
    assert key_file.exists() and (key_file.stat().st_mode & 0o077) == 0


@pytest.mark.django_db
def test_a_broken_log_is_mailed_to_the_administrators_past_the_outbox(ward, settings, smtp_server):
    from motcua.core.models import OutboxMessage

    settings.MOTCUA_AUDIT_ALERT_EMAILS = ["quantri@phuthuy.gov.vn"]
    record_three(ward)
    JOBS[AUDIT_CHECKPOINT].load().call()
    assert smtp_server.messages == []  # an intact log sends nothing

    _as_owner(lambda: _sql("UPDATE {table} SET reason = 'x' WHERE seq = 2"))
    JOBS[AUDIT_CHECKPOINT].load().call()
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == "quantri@phuthuy.gov.vn"
    assert "Nhật ký hệ thống không qua được kiểm tra" in str(mail["Subject"])
    body = mail.get_body().get_content()
    assert "KHÔNG còn nguyên vẹn" in body and "sự kiện số 2" in body
    assert not OutboxMessage.objects.exists()  # straight to the mail server


@pytest.mark.django_db
def test_without_alert_addresses_the_superusers_are_alerted(ward, settings):
    from motcua.core.models import User

    settings.MOTCUA_AUDIT_ALERT_EMAILS = []
    User.objects.create_superuser("root", "root@phuthuy.gov.vn", "x")
    User.objects.create_user("clerk", "clerk@phuthuy.gov.vn", "x")
    assert checkpoints.alert_recipients() == ["root@phuthuy.gov.vn"]

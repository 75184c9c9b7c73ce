"""Checkpoints of the audit chains kept outside the database.

The hash chain (services/audit.py) proves that no row was changed in place, but whoever owns
the database can recompute the whole chain after an edit, or delete its last events and the
counter with them, and the chain still verifies. So every day (and on demand) the head of
every chain (its last sequence number and hash) is written to a file outside the database
with an HMAC keyed from outside the database too:

- the key: MOTCUA_AUDIT_KEY (in the server's environment), else the file
  MOTCUA_AUDIT_KEY_FILE (default var/audit_key, created with mode 0600 on first use). Keep it,
  and the checkpoint files, where the database's owner cannot write (another machine, a
  backup, a mailbox);
- the files: MOTCUA_AUDIT_CHECKPOINT_DIR (default var/audit-checkpoints), one JSON line per
  chain and checkpoint, one file per day, appended and fsynced.

``verify_checkpoints`` then finds what the chain cannot: an event a checkpoint names whose
stored hash is no longer the one checkpointed (the chain was rewritten), an event a checkpoint
names that is gone (the chain was cut), and a checkpoint line whose HMAC does not verify (a
forged or edited checkpoint).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendar import VN_TZ
from ..models import AuditEvent
from .audit import BrokenLink, chains, verify_chain

log = logging.getLogger(__name__)


def key() -> bytes:
    given = os.environ.get("MOTCUA_AUDIT_KEY", "")
    if given:
        return given.encode()
    path = Path(settings.MOTCUA_AUDIT_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _mac(chain: str, seq: int, head: str, at: str) -> str:
    message = f"{chain}|{seq}|{head}|{at}".encode()
    return hmac.new(key(), message, hashlib.sha256).hexdigest()


def directory() -> Path:
    return Path(settings.MOTCUA_AUDIT_CHECKPOINT_DIR)


def write_checkpoints(now: datetime | None = None) -> Path:
    """Append the head of every chain to today's file; returns the file."""
    now = now or timezone.now()
    at = now.isoformat(timespec="seconds")
    heads = AuditEvent.objects.values("chain").annotate(last=Max("seq")).order_by("chain")
    lines = []
    for row in heads:
        event = AuditEvent.objects.only("hash").get(chain=row["chain"], seq=row["last"])
        fields = {"chain": row["chain"], "seq": row["last"], "hash": event.hash, "at": at}
        fields["mac"] = _mac(row["chain"], row["last"], event.hash, at)
        lines.append(json.dumps(fields, sort_keys=True) + "\n")
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now.astimezone(VN_TZ):%Y-%m-%d}.jsonl"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write("".join(lines))
        handle.flush()
        os.fsync(handle.fileno())
    return path


@dataclass(frozen=True)
class CheckpointProblem:
    file: str
    line: int
    chain: str
    seq: int
    kind: str  # "forged", "rewritten", "truncated", "unreadable"

    @property
    def message(self) -> str:
        where = {"file": self.file, "line": self.line, "chain": self.chain, "seq": self.seq}
        texts = {
            "forged": _(
                "%(file)s line %(line)d: the checkpoint of chain %(chain)s is not signed with "
                "the audit key (forged or edited)."
            ),
            "rewritten": _(
                "Chain %(chain)s: event #%(seq)d no longer has the hash checkpointed in "
                "%(file)s line %(line)d: the chain was rewritten after that checkpoint."
            ),
            "truncated": _(
                "Chain %(chain)s: event #%(seq)d, checkpointed in %(file)s line %(line)d, is "
                "gone: events were deleted after that checkpoint."
            ),
            "unreadable": _("%(file)s line %(line)d cannot be read as a checkpoint."),
        }
        return texts[self.kind] % where


def _lines() -> Iterator[tuple[str, int, str]]:
    folder = directory()
    if not folder.exists():
        return
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if text.strip():
                    yield path.name, number, text


def verify_checkpoints() -> tuple[int, list[CheckpointProblem]]:
    """(checkpoint lines read, problems found)."""
    problems: list[CheckpointProblem] = []
    count = 0
    for name, number, text in _lines():
        count += 1
        try:
            line = json.loads(text)
            chain, seq, head, at = line["chain"], int(line["seq"]), line["hash"], line["at"]
            mac = line["mac"]
        except (ValueError, KeyError, TypeError):
            problems.append(CheckpointProblem(name, number, "?", 0, "unreadable"))
            continue
        if not hmac.compare_digest(str(mac), _mac(chain, seq, head, at)):
            problems.append(CheckpointProblem(name, number, chain, seq, "forged"))
            continue
        stored = AuditEvent.objects.filter(chain=chain, seq=seq).values_list("hash", flat=True)
        found = stored.first()
        if found is None:
            problems.append(CheckpointProblem(name, number, chain, seq, "truncated"))
        elif found != head:
            problems.append(CheckpointProblem(name, number, chain, seq, "rewritten"))
    return count, problems


@dataclass(frozen=True)
class AuditReport:
    chains: int
    checkpoints: int
    broken: list[BrokenLink]
    problems: list[CheckpointProblem]

    @property
    def intact(self) -> bool:
        return not self.broken and not self.problems

    def messages(self) -> list[str]:
        links = [
            _("Chain %(chain)s: the first broken link is event #%(seq)d (%(problem)s).")
            % {"chain": link.chain, "seq": link.seq, "problem": _(link.problem)}
            for link in self.broken
        ]
        return links + [problem.message for problem in self.problems]

    def summary(self) -> str:
        counts = {"chains": self.chains, "checkpoints": self.checkpoints}
        if self.intact:
            return (
                _(
                    "The audit log is intact: %(chains)d chains checked, %(checkpoints)d "
                    "checkpoints outside the database agree."
                )
                % counts
            )
        counts["problems"] = len(self.broken) + len(self.problems)
        return (
            _(
                "The audit log is NOT intact: %(problems)d problem(s) in %(chains)d chains and "
                "%(checkpoints)d checkpoints."
            )
            % counts
        )


def check_audit() -> AuditReport:
    """Every chain recomputed from its first event, and every checkpoint held against it."""
    names = list(chains())
    broken = [link for link in map(verify_chain, names) if link]
    count, problems = verify_checkpoints()
    return AuditReport(len(names), count, broken, problems)


def check_and_checkpoint(now: datetime | None = None) -> AuditReport:
    """The periodic job: verify, then checkpoint the heads, never over a broken log (the
    checkpoint would vouch for what was tampered with)."""
    report = check_audit()
    if report.intact:
        write_checkpoints(now)
    else:
        log.error("audit log: %s %s", report.summary(), " ".join(report.messages()))
        alert(report)
    return report


def alert_recipients() -> list[str]:
    """MOTCUA_AUDIT_ALERT_EMAILS, else the system administrators' addresses (superusers)."""
    if settings.MOTCUA_AUDIT_ALERT_EMAILS:
        return list(settings.MOTCUA_AUDIT_ALERT_EMAILS)
    from ..models import User

    found = User.objects.filter(is_superuser=True, is_active=True).exclude(email="")
    return sorted(set(found.values_list("email", flat=True)))


def alert(report: AuditReport) -> int:
    """E-mail the broken report straight through the mail server, not through the outbox: the
    outbox is a table of the very database that is in doubt, its owner could drop the alert."""
    from django.core.mail import send_mail

    recipients = alert_recipients()
    if not recipients:
        log.error("audit log broken and no address to alert (MOTCUA_AUDIT_ALERT_EMAILS)")
        return 0
    lines = [report.summary(), "", *report.messages(), "", _("Check with: manage.py verify_audit")]
    try:
        return send_mail(
            _("[MotCua] The audit log fails its check"),
            "\n".join(lines) + "\n",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    except OSError:
        log.exception("audit alert could not be sent to %s", recipients)
        return 0

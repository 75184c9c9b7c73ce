"""Backup and restore, end to end in child processes: the demo ward in a fresh database and
var folder, backed up, restored into another fresh database and folder, and compared table by
table and file by file by a reader that does not trust the restore's own report."""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.slow

CHECKSUMS = """
import json
from motcua.core.backup import file_checksums, table_checksums
from motcua.core.models import AuditEvent, Counter
print(json.dumps({
    "tables": table_checksums(),
    "files": file_checksums(),
    "audit": sorted(AuditEvent.objects.values_list("chain", "seq", "hash", "action")),
    "counters": dict(Counter.objects.values_list("key", "value")),
}))
"""


class Deployment:
    """One deployment: its own var folder and its own (new, empty) database."""

    def __init__(self, root: Path, name: str) -> None:
        self.var = root / name
        self.database = f"motcua_backup_{name}_{uuid.uuid4().hex[:8]}"
        self.env = os.environ | {"MOTCUA_VAR_DIR": str(self.var)}
        for variable in ("MOTCUA_MEDIA_ROOT", "MOTCUA_AUDIT_KEY_FILE", "MOTCUA_AUDIT_KEY",
                         "MOTCUA_AUDIT_CHECKPOINT_DIR", "MOTCUA_SECRET_KEY"):  # fmt: skip
            self.env.pop(variable, None)
        server = os.environ.get("DATABASE_URL", "")
        self.postgres = server.startswith("postgres")
        if self.postgres:
            parts = urlsplit(server)
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database}"))
            self._sql(f'CREATE DATABASE "{self.database}"')
        else:
            self.env.pop("DATABASE_URL", None)  # the embedded SQLite file under the var folder

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def drop(self) -> None:
        if self.postgres:
            self._sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=django_settings.PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    def checksums(self) -> dict:
        return json.loads(self.manage("shell", "-c", CHECKSUMS).stdout.strip().splitlines()[-1])


@pytest.fixture
def deployments(tmp_path):  # type: ignore[no-untyped-def]
    made: list[Deployment] = []

    def make(name: str) -> Deployment:
        made.append(Deployment(tmp_path, name))
        return made[-1]

    yield make
    for deployment in made:
        deployment.drop()


def test_backup_restored_into_a_fresh_database_and_folder_is_identical(deployments, tmp_path):
    source = deployments("source")
    source.manage("migrate", "--no-input", "-v", "0")
    source.manage("load_demo", "-v", "0")
    source.manage("verify_audit", "--checkpoint")  # what the daily job does: key + checkpoint
    archive = tmp_path / "motcua.tar.gz"
    report = source.manage("backup", str(archive)).stdout
    saved = source.checksums()
    assert saved["files"], "the demo ward stores files (scans, signed copies, keys)"
    assert any(name.startswith("media/") for name in saved["files"])
    assert {"secret_key", "audit_key"} <= set(saved["files"])
    assert any(name.startswith("audit-checkpoints/") for name in saved["files"])
    assert any(name.startswith("pki/") for name in saved["files"])

    target = deployments("target")
    restored = target.manage("restore", str(archive))
    after = target.checksums()

    # The restore records itself in the audit log afterwards: one event more, its chain's
    # counter one higher and the event logged for the figures' summaries (one change more);
    # every other row of every table is as saved.
    tables, rows = len(saved["tables"]), sum(t["rows"] for t in saved["tables"].values())
    changes = saved["tables"]["core_figurechange"]["rows"]
    assert after["tables"]["core_figurechange"]["rows"] == changes + 1
    for table in ("core_auditevent", "core_counter", "core_figurechange"):
        saved["tables"].pop(table), after["tables"].pop(table)
    assert after["tables"] == saved["tables"]
    assert after["files"] == saved["files"]
    saved_events = {tuple(e) for e in saved["audit"]}
    [extra] = [e for e in map(tuple, after["audit"]) if e not in saved_events]
    assert extra[3] == "core.restore" and len(after["audit"]) == len(saved["audit"]) + 1
    moved = {k: (v, after["counters"].get(k)) for k, v in saved["counters"].items()
             if after["counters"].get(k) != v}  # fmt: skip
    assert list(moved.values()) == [(extra[1] - 1, extra[1])]
    print(
        f"\nbackup: {report.strip()}\nrestore: {restored.stdout.strip()}\n"
        f"compared {tables} tables ({rows} rows) and "
        f"{len(saved['files'])} files: identical"
    )
    # The restored ward works: its audit chain verifies against the restored checkpoints and
    # key, and the signing keys are found where the restored database says.
    target.manage("verify_audit")
    target.manage(
        "shell", "-c",
        "from motcua.certification.models import SigningKey; "
        "keys = list(SigningKey.objects.all()); assert keys; "
        "assert all(k.key_file.is_file() for k in keys), [k.p12_path for k in keys]",
    )  # fmt: skip

    # A second restore into the now populated deployment is refused, and changes nothing.
    refused = target.manage("restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "đã có dữ liệu" in refused.stderr
    assert target.checksums()["audit"] == after["audit"]


def test_damaged_or_foreign_archive_is_refused_with_a_reason(deployments, tmp_path):
    target = deployments("target")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    done = target.manage("restore", str(junk), check=False)
    assert done.returncode != 0 and "không phải" in done.stderr

    # An archive whose one file was changed after its manifest was written.
    made = tmp_path / "made"
    (made / "media").mkdir(parents=True)
    (made / "media" / "scan.pdf").write_bytes(b"%PDF-1.4 changed")
    manifest = {
        "format": "motcua-backup/1", "created": "2026-12-06T00:00:00+07:00",
        "vendor": "sqlite", "database": "database.sqlite3",
        "database_sha256": hashlib.sha256(b"").hexdigest(), "migrations": [], "tables": {},
        "files": {"media/scan.pdf": "0" * 64}, "not_archived": [],
    }  # fmt: skip
    (made / "manifest.json").write_text(json.dumps(manifest))
    (made / "database.sqlite3").write_bytes(b"")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as archive:
        for name in ("manifest.json", "database.sqlite3", "media"):
            archive.add(made / name, arcname=name)
    done = target.manage("restore", "--check", str(damaged), check=False)
    assert done.returncode != 0 and "media/scan.pdf" in done.stderr and "không khớp" in done.stderr

"""Backup and restore of a whole deployment: the database and everything outside it.

The database alone is not enough: citizens' scans and signed copies live in MEDIA_ROOT, the
signing keys and the seals under VAR_DIR, the secret key signs sessions and verification
links, and the audit key and checkpoints anchor the audit chain. One archive (tar.gz) holds
them all with a manifest: the row count and a checksum of every table and the SHA-256 of every
file, so that a restore can prove it gave back exactly what was saved.

The database part is the engine's own tool: SQLite's online backup API (consistent while the
server runs) or `pg_dump --format=custom` (one snapshot), restored by copying the file back
or by `pg_restore`. A restore goes into an empty deployment only, unless told to replace.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "motcua-backup/1"
MANIFEST = "manifest.json"
CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def file_items() -> dict[str, Path]:
    """Every file or folder a deployment needs besides its database, by archive name."""
    var = Path(settings.VAR_DIR)
    return {
        "media": Path(settings.MEDIA_ROOT),
        "secret_key": var / "secret_key",
        "pki": var / "pki",
        "seals": var / "seals",
        "audit_key": Path(settings.MOTCUA_AUDIT_KEY_FILE),
        "audit-checkpoints": Path(settings.MOTCUA_AUDIT_CHECKPOINT_DIR),
    }


def _files_under(root: Path) -> Iterator[tuple[str, Path]]:
    if root.is_file():
        yield "", root
    elif root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(items: dict[str, Path] | None = None) -> dict[str, str]:
    """'item/relative/path' → SHA-256 of every stored file."""
    result = {}
    for name, root in (items or file_items()).items():
        for relative, path in _files_under(root):
            result[f"{name}/{relative}".rstrip("/")] = _sha256(path)
    return result


def _canonical(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return repr(value)


def table_checksums(using: Any = None) -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of every table, rows read in primary-key (or full-row) order."""
    conn = using or connection
    result = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            result[table] = _table_checksum(conn, cursor, table)
    return result


def _table_checksum(conn: Any, cursor: Any, table: str) -> dict[str, Any]:
    quote = conn.ops.quote_name
    columns = [c.name for c in conn.introspection.get_table_description(cursor, table)]
    key = conn.introspection.get_primary_key_column(cursor, table)
    order = [key] if key else columns
    cursor.execute(
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
        f"ORDER BY {', '.join(quote(c) for c in order)}"
    )
    digest, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(CHUNK):
        for row in batch:
            digest.update("\x1f".join(_canonical(v) for v in row).encode() + b"\x1e")
        rows += len(batch)
    return {"rows": rows, "sha256": digest.hexdigest()}


# --- the database part -------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            _("The program %(program)s is not installed.") % {"program": command[0]}
        ) from error
    if done.returncode:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()[-2000:]}
        )


def dump_database(target: Path) -> str:
    """Write the database to `target`; returns the archive member name."""
    if _vendor() == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "database.sqlite3"
    if _vendor() == "postgresql":
        args, env = _pg_env()
        name = settings.DATABASES["default"]["NAME"]
        _run(["pg_dump", *args, "--format=custom", "--no-owner", f"--file={target}", name], env)
        return "database.pgdump"
    raise BackupError(_("Backup does not support the %(vendor)s database.") % {"vendor": _vendor()})


def load_database(source: Path, member: str) -> None:
    connection.close()
    if member == "database.sqlite3" and _vendor() == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, name)
        return
    if member == "database.pgdump" and _vendor() == "postgresql":
        args, env = _pg_env()
        name = settings.DATABASES["default"]["NAME"]
        _run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--exit-on-error", f"--dbname={name}", str(source)],
            env,
        )  # fmt: skip
        return
    raise BackupError(
        _("This archive holds a %(member)s database; this deployment uses %(vendor)s.")
        % {"member": member, "vendor": _vendor()}
    )


def holds_data() -> bool:
    """Whether the deployment already has users or audit events (a restore would erase them)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("auth_user", "core_auditevent"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


# --- archive -----------------------------------------------------------------------------


def _migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup(output: Path) -> dict[str, Any]:
    """Write one archive with the database, every file item and the manifest."""
    items = file_items()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        member = dump_database(dump)
        # Checksums read after the dump: the server may keep running, so a table changed in
        # between shows up as a difference after restore instead of passing unnoticed.
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": _vendor(),
            "database": member,
            "database_sha256": _sha256(dump),
            "migrations": _migrations(),
            "tables": table_checksums(),
            "files": file_checksums(items),
            "not_archived": _not_archived(),
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=member)
            for name, root in items.items():
                if root.exists():
                    archive.add(root, arcname=name)
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(output)  # a killed backup never leaves a truncated archive as the real one
    return manifest


def _not_archived() -> list[str]:
    """Secrets given by environment variables: the operator must keep them elsewhere."""
    return [name for name in ("MOTCUA_SECRET_KEY", "MOTCUA_AUDIT_KEY") if os.environ.get(name)]


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            handle = archive.extractfile(MANIFEST)
            manifest = json.loads(handle.read()) if handle else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(
            _("%(path)s is not a MotCua backup archive (%(error)s).")
            % {"path": archive_path, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not a MotCua backup archive.") % {"path": archive_path})
    return manifest


@dataclass
class Comparison:
    tables: int = 0
    rows: int = 0
    files: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        values = {"tables": self.tables, "rows": self.rows, "files": self.files}
        if self.identical:
            return _("Identical: %(tables)d tables (%(rows)d rows) and %(files)d files.") % values
        return _("%(count)d differences.") % {"count": len(self.differences)}


def compare(manifest: dict[str, Any]) -> Comparison:
    """This deployment's tables and files against what the archive's manifest recorded."""
    result = Comparison()
    _compare_tables(manifest["tables"], table_checksums(), result)
    _compare_files(manifest["files"], file_checksums(), result)
    return result


def _compare_tables(saved: dict, now: dict, result: Comparison) -> None:
    for table in sorted(saved.keys() | now.keys()):
        if table not in now:
            result.differences.append(_("Table %(table)s is missing.") % {"table": table})
        elif table not in saved:
            result.differences.append(_("Table %(table)s is extra.") % {"table": table})
        elif saved[table] != now[table]:
            result.differences.append(
                _("Table %(table)s differs: %(saved)d rows saved, %(now)d now.")
                % {"table": table, "saved": saved[table]["rows"], "now": now[table]["rows"]}
            )
        else:
            result.tables += 1
            result.rows += now[table]["rows"]


def _compare_files(saved: dict, now: dict, result: Comparison) -> None:
    for name in sorted(saved.keys() | now.keys()):
        if name not in now:
            result.differences.append(_("File %(name)s is missing.") % {"name": name})
        elif name not in saved:
            result.differences.append(_("File %(name)s is extra.") % {"name": name})
        elif saved[name] != now[name]:
            result.differences.append(_("File %(name)s differs.") % {"name": name})
        else:
            result.files += 1


def check_archive(archive_path: Path, scratch: Path) -> dict[str, Any]:
    """Unpack into `scratch` and check every member against the manifest."""
    manifest = read_manifest(archive_path)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(scratch, filter="data")  # no absolute paths, links out or devices
    dump = scratch / manifest["database"]
    if not dump.is_file() or _sha256(dump) != manifest["database_sha256"]:
        raise BackupError(_("The archive's database copy is damaged."))
    unpacked = {name: scratch / name for name in file_items()}
    found = file_checksums(unpacked)
    saved = manifest["files"]
    bad = sorted(n for n in saved.keys() | found.keys() if saved.get(n) != found.get(n))
    if bad:
        raise BackupError(
            _("The archive's files do not match its manifest: %(names)s")
            % {"names": ", ".join(bad[:10])}
        )
    return manifest


def restore(archive_path: Path, *, replace: bool = False) -> Comparison:
    """Put the archive back into this deployment and compare the result with the manifest."""
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        manifest = check_archive(archive_path, scratch)
        if manifest["vendor"] != _vendor():
            raise BackupError(
                _("This archive holds a %(member)s database; this deployment uses %(vendor)s.")
                % {"member": manifest["vendor"], "vendor": _vendor()}
            )
        if holds_data() and not replace:
            raise BackupError(
                _(
                    "This deployment already holds data; restore only into an empty one, "
                    "or give --yes to replace it."
                )
            )
        load_database(scratch / manifest["database"], manifest["database"])
        for name, target in file_items().items():
            _put_back(scratch / name, target)
    return compare(manifest)


def _put_back(source: Path, target: Path) -> None:
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    if not source.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
        if target.name in {"secret_key", "audit_key"}:
            target.chmod(0o600)

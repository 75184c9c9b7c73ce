"""Orphan files: stored uploads no row refers to, e.g. the scan of a receipt whose process was
killed after writing the file and before committing its row.

The folders swept, and the names still in use, are read from every model's FileFields
(``apps.get_models()``), so a new model with a FileField is covered without a change here: the
folder of a field is the fixed part of its ``upload_to`` ("dossiers/papers/%Y/%m/" gives
"dossiers/papers"); a field with a computed ``upload_to`` (reports, Wagtail images) keeps its
files out of the sweep unless another field names the same folder, and its names count as
used anyway. Names in the outbox's ``attachments`` count as used too.

A file is removed only when nobody refers to it and it is older than the grace period (a
receipt still in its transaction is younger): it is moved to ``MOTCUA_ORPHAN_DIR`` with its
path kept, for an administrator to look at, rather than deleted.
"""

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScannedField:
    model: str  # app_label.ModelName
    field: str
    folder: str  # "" when upload_to is computed


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and _local(field.storage):
                found.append((model, field))
    return found


def _local(storage: object) -> bool:
    """Files on this server's disk under MEDIA_ROOT (a lazy DefaultStorage passes isinstance)."""
    return isinstance(storage, FileSystemStorage) and (
        Path(storage.location).resolve() == Path(settings.MEDIA_ROOT).resolve()
    )


def scanned_fields() -> list[ScannedField]:
    """Which models and fields the sweep reads, and the folder each one contributes."""
    return [
        ScannedField(model._meta.label, field.name, _folder(field.upload_to))
        for model, field in file_fields()
    ]


def _folder(upload_to: object) -> str:
    return upload_to.split("%", 1)[0].strip("/") if isinstance(upload_to, str) else ""


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, field in file_fields():
        names.update(
            model._default_manager.exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .values_list(field.attname, flat=True)
        )
    if apps.is_installed("motcua.core"):
        from .models import OutboxMessage

        for attached in OutboxMessage.objects.exclude(attachments=[]).values_list(
            "attachments", flat=True
        ):
            names.update(str(name) for name in attached or [])
    return {name.lstrip("/") for name in names if name}


@dataclass
class Swept:
    moved: list[str]
    kept_young: int


def sweep_orphans(now: datetime | None = None) -> Swept:
    """Move unreferenced files older than the grace period out of MEDIA_ROOT."""
    now = now or timezone.now()
    grace = timedelta(seconds=int(settings.MOTCUA_ORPHAN_GRACE_SECONDS))
    limit = (now - grace).timestamp()
    root = Path(settings.MEDIA_ROOT)
    folders = sorted({f.folder for f in scanned_fields() if f.folder})
    # Listed before the names are read: a file written after this is not looked at at all.
    candidates = [path for folder in folders for path in _files(root / folder)]
    used = referenced_names()
    moved, young = [], 0
    for path in sorted(set(candidates)):
        name = path.relative_to(root).as_posix()
        if name in used:
            continue
        try:
            if path.stat().st_mtime > limit:
                young += 1
                continue
            target = Path(settings.MOTCUA_ORPHAN_DIR) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
        except FileNotFoundError:
            continue  # removed meanwhile
        log.warning("Orphan file %s moved to %s", name, target)
        moved.append(name)
    return Swept(moved=moved, kept_young=young)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for parent, _dirs, files in os.walk(folder):
        found.extend(Path(parent) / file for file in files)
    return found

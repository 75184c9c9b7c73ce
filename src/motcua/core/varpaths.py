"""Paths kept in the database relative to the var folder (VAR_DIR).

Signing keys and trust roots live under VAR_DIR; storing them relative means a backup
restored into another folder or machine still finds them. An absolute path stays as it is.
"""

from pathlib import Path

from django.conf import settings


def under_var_dir(stored: str) -> Path:
    return Path(settings.VAR_DIR) / stored  # an absolute `stored` wins over VAR_DIR


def relative_to_var_dir(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(settings.VAR_DIR).resolve()).as_posix()
    except ValueError:
        return str(path)

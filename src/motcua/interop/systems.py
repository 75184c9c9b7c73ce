"""The upper-level systems this deployment reports to (``MOTCUA_PORTALS``) and their adapters.

- ``file``: the laptop default; every message is appended to ``MOTCUA_PORTAL_FILE_DIR`` as a
  JSON line and acknowledged at once (nothing leaves the machine).
- ``dvcqg``: Cổng DVCQG through its integration adapter (session auth, ``DongBoHoSoMC`` /
  ``CapNhatTienDoHoSoMC`` / ``TraCuuHoSo``), ``MOTCUA_DVCQG_*``.
- ``lgsp``: the province's system through its integration platform (OAuth2 client-credentials
  token, JSON over HTTPS), ``MOTCUA_LGSP_*``.
"""

from functools import cache
from typing import Any

from django.conf import settings

from .adapters import Adapter, DvcqgAdapter, FileAdapter, LgspAdapter

KINDS: dict[str, Any] = {"file": FileAdapter, "dvcqg": DvcqgAdapter, "lgsp": LgspAdapter}


def configured_systems() -> list[str]:
    return list(settings.MOTCUA_PORTALS)


@cache
def adapter_for(system: str) -> Adapter:
    """One adapter per process and system (it keeps the session or token between calls)."""
    try:
        kind = KINDS[system]
    except KeyError:
        raise LookupError(
            f"Không có cổng “{system}” (MOTCUA_PORTALS: file, dvcqg, lgsp)."
        ) from None
    return kind.from_settings()

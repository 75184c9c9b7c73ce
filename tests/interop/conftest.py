import pytest

from motcua.interop.simulator import start_portal_simulator
from motcua.interop.systems import adapter_for
from tests.dossiers.conftest import procedure, staff  # noqa: F401  (fixtures)


@pytest.fixture
def portal(settings):  # type: ignore[no-untyped-def]
    """The simulator over real HTTP, both systems configured against it."""
    running = start_portal_simulator()
    running.app.hang_seconds = 1.5
    settings.MOTCUA_PORTALS = ["dvcqg", "lgsp"]
    settings.MOTCUA_DVCQG = {
        **settings.MOTCUA_DVCQG,
        "url": f"{running.base_url}/dvcqg",
        "timeout": "0.5",
    }
    settings.MOTCUA_LGSP = {
        **settings.MOTCUA_LGSP,
        "url": f"{running.base_url}/lgsp",
        "token_url": "",
        "timeout": "0.5",
    }
    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS = 60
    adapter_for.cache_clear()
    yield running.app
    running.stop()
    adapter_for.cache_clear()

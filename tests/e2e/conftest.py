import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
# Every wait is on a condition (a URL, an element, a load state); its ceiling is generous so
# that a busy machine (CI beside a CPU burner) is slower, not failing.
TIMEOUT_MS = 120_000
ARTIFACTS = Path(settings.VAR_DIR) / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Chromium is missing: run scripts/system-deps.sh"
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the
    # test body between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run"],
        )  # fmt: skip
        opened = launched.new_context

        def new_context(**options):  # type: ignore[no-untyped-def]
            context = opened(**options)
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            return context

        launched.new_context = new_context  # type: ignore[method-assign]
        yield launched
        launched.close()


@pytest.fixture
def shot():  # type: ignore[no-untyped-def]
    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take

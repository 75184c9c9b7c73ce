"""The axe-core helper itself: it fails on serious violations and passes a clean page."""

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e import axe
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

CLEAN = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Tra cứu hồ sơ</title></head>
<body><main><h1>Tra cứu hồ sơ</h1>
<form><label for="code">Mã hồ sơ</label> <input id="code" name="code">
<button type="submit">Tra cứu</button></form></main></body></html>"""

BROKEN = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Tra cứu hồ sơ</title></head>
<body><main><h1>Tra cứu hồ sơ</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input name="code"> <button type="submit">Tra cứu</button></form></main></body></html>"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_clean_page_passes_and_its_results_are_saved(page):
    page.set_content(CLEAN)

    assert assert_accessible(page, context="axe-self-test-clean") == []
    saved = json.loads((axe.ARTIFACTS / "axe-self-test-clean.json").read_text(encoding="utf-8"))
    assert saved["violations"] == [] and saved["passes"]


def test_an_image_without_alt_and_an_unlabelled_input_fail_with_a_readable_list(page):
    page.set_content(BROKEN)

    with pytest.raises(AssertionError) as caught:
        assert_accessible(page, context="axe-self-test-broken")
    report = str(caught.value)
    assert "(axe-self-test-broken)" in report
    assert "- image-alt [critical]: Images must have alternative text" in report
    assert "label [critical]" in report and "input" in report


def test_without_axe_installed_the_error_says_to_run_npm_ci(page, monkeypatch, tmp_path):
    monkeypatch.setattr(axe, "AXE_JS", tmp_path / "axe.min.js")
    page.set_content(CLEAN)

    with pytest.raises(RuntimeError, match="npm ci"):
        assert_accessible(page)


def test_a_page_whose_policy_refuses_inline_script_is_still_checked(browser):
    strict = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    context = browser.new_context()
    page = context.new_page()
    page.set_content(BROKEN.replace("<head>", f"<head>{strict}"))

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
    context.close()

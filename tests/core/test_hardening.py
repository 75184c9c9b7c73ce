"""Hostile input and what the browser is allowed to do with our answers: files served as
their checked type or as opaque downloads, a Content-Security-Policy on every page, control
characters and out-of-range ids refused before any view or the database sees them, and the
error pages in Vietnamese."""

import io

import pytest
from django.core.files import File
from django.test import Client

from motcua.core.files import serve_file
from motcua.core.models import AuditEvent
from tests import sample_files

HTML_IN_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"


def _stored(data: bytes, name: str) -> File:
    return File(io.BytesIO(data), name=name)


def test_html_behind_pdf_bytes_is_served_only_as_an_opaque_download():
    response = serve_file(_stored(HTML_IN_PDF, "scans/giay-to.html"), inline=True)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_checked_pdf_is_shown_inline_with_its_own_type_and_our_extension():
    response = serve_file(_stored(sample_files.PDF, "scans/ban-chup.htm"), inline=True)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert 'filename="ban-chup.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == sample_files.PDF


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/dang-nhap/", "/dich-vu-cong/", "/khong-co-trang-nay/"])
def test_every_page_carries_a_policy_that_refuses_inline_script(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/dich-vu-cong/?q=%00", "/dich-vu-cong/?q=a%01b", "/dich-vu-cong/%00/"]
)
def test_control_characters_in_address_or_query_get_a_vietnamese_400(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "ký tự điều khiển" in response.content.decode()


@pytest.mark.django_db
def test_a_form_with_a_nul_byte_is_refused_and_nothing_is_written(client):
    events = AuditEvent.objects.count()

    response = client.post("/dang-nhap/", {"username": "motcua\x00", "password": "x"})

    assert response.status_code == 400
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_json_body_with_an_escaped_nul_is_refused(client):
    response = client.post(
        "/api/v1/dossiers/", data='{"unit": "a\\u0000"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "ký tự điều khiển" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["9223372036854775809", "99999999999999999999", "0"])
def test_an_id_out_of_range_is_not_found_not_a_server_error(client, pk):
    response = client.get(f"/mot-cua/ho-so/{pk}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_vietnamese_page():
    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "a"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hiệu lực" in response.content.decode()


def test_the_deploy_check_is_clean_once_https_is_declared(tmp_path):
    """`check --deploy` with MOTCUA_HTTPS=1: HSTS, SSL redirect, secure cookies, framing."""
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **os.environ,
        "MOTCUA_HTTPS": "1",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_ALLOWED_HOSTS": "motcua.example.vn",
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_staff_sessions_last_a_working_day():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600

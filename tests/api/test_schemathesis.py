"""schemathesis against a live server over our published schema (drf-spectacular): every
operation, generated valid and invalid input, an officer's token. No response may be a server
error, and every response must match the schema (status body and content type)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from motcua.core.models import User
from tests.summary import SummaryLine

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
MAX_EXAMPLES = 25  # per operation and phase: bounded so that the run stays under 3 minutes
MAX_SECONDS = 100
ST = Path(sys.executable).with_name("st")


@pytest.mark.django_db(transaction=True)
def test_the_api_gives_no_server_error_and_keeps_to_its_schema(live_server, request, tmp_path):
    call_command("load_demo", verbosity=0)
    token = Token.objects.create(user=User.objects.get(username="motcua")).key  # desk officer
    done = subprocess.run(
        [
            str(ST), "run", f"{live_server.url}/api/v1/schema/",
            "--checks", CHECKS,
            "--header", f"Authorization: Token {token}",
            "--max-examples", str(MAX_EXAMPLES),
            "--max-time", str(MAX_SECONDS),
            "--workers", "1",
            "--seed", "16",
            "--no-color",
        ],
        capture_output=True, text=True, timeout=MAX_SECONDS + 60, cwd=tmp_path,
    )  # fmt: skip
    output = done.stdout + done.stderr
    artifacts = Path(settings.VAR_DIR) / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "schemathesis.txt").write_text(output, encoding="utf-8")
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    line = (
        f"schemathesis: {tested.group(1) if tested else '?'} operations, "
        f"{cases.group(0) if cases else '?'} cases ({CHECKS})"
    )
    request.config.pluginmanager.register(SummaryLine(line), "motcua-schemathesis")
    assert done.returncode == 0, output[-6000:]
    assert tested and int(tested.group(1)) >= 7 and cases, output[-3000:]

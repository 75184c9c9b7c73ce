"""Run the test identity provider: ``python -m tests.portal.oidc_provider.serve``.

Started by launcher.py, which sets OIDC_PROVIDER_DIR (database and ready file),
OIDC_PROVIDER_ADMIN_TOKEN, OIDC_PROVIDER_CLIENT_ID, OIDC_PROVIDER_CLIENT_SECRET and
OIDC_PROVIDER_REDIRECT_URIS (space-separated). Listens on a free port of 127.0.0.1 and
writes that port to ready.json.
"""

import json
import os
from pathlib import Path

READY_FILE = "ready.json"


def register_application() -> None:
    from oauth2_provider.models import get_application_model

    application = get_application_model()
    application.objects.create(
        name="MotCua portal (tests)",
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_PROVIDER_REDIRECT_URIS"],
        skip_authorization=True,
        algorithm=application.RS256_ALGORITHM,
    )


def announce(port: int | str) -> None:
    # Written then renamed, so the launcher never reads half a file.
    directory = Path(os.environ["OIDC_PROVIDER_DIR"])
    partial = directory / f"{READY_FILE}.part"
    partial.write_text(json.dumps({"port": port, "pid": os.getpid()}))
    partial.replace(directory / READY_FILE)


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.portal.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", run_syncdb=True, verbosity=0)
    register_application()
    run("127.0.0.1", 0, get_wsgi_application(), threading=True, on_bind=announce)


if __name__ == "__main__":
    main()

import os
from datetime import time

import pytest
from django.db import connection
from django.utils import translation

from motcua.core.models import AdministrativeUnit, Role, RoleAssignment, UnitKind, User


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    return f"database: {os.environ.get('DATABASE_URL', 'embedded SQLite')}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Password hashing is deliberately slow; tests that are not about it need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _expected_backend(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    # CI's PostgreSQL pass must really run on PostgreSQL, never fall back silently.
    if os.environ.get("MOTCUA_EXPECT_POSTGRES"):
        assert connection.vendor == "postgresql", connection.vendor


@pytest.fixture
def province(db) -> AdministrativeUnit:  # type: ignore[no-untyped-def]
    return AdministrativeUnit.objects.create(code="68", name="Lâm Đồng", kind=UnitKind.PROVINCE)


@pytest.fixture
def ward(province) -> AdministrativeUnit:  # type: ignore[no-untyped-def]
    return AdministrativeUnit.objects.create(
        code="22924",
        name="Phường Phú Thuỷ",
        kind=UnitKind.WARD,
        parent=province,
        identifier_code="000.00.24.H36",
        morning_start=time(7, 30),
        morning_end=time(11, 30),
        afternoon_start=time(13, 30),
        afternoon_end=time(17, 0),
        receipt_cutoff=time(15, 0),
    )


@pytest.fixture
def other_ward(province) -> AdministrativeUnit:  # type: ignore[no-untyped-def]
    return AdministrativeUnit.objects.create(
        code="22945", name="Phường Phan Thiết", kind=UnitKind.WARD, parent=province
    )


def make_user(username: str, unit: AdministrativeUnit, role: str, position: str = "") -> User:
    user = User.objects.create_user(
        username=username, password="x-Strong-Pass-1", full_name=username
    )
    RoleAssignment.objects.create(user=user, unit=unit, role=role, position=position)
    return user


@pytest.fixture
def desk_officer(ward) -> User:  # type: ignore[no-untyped-def]
    return make_user("motcua", ward, Role.DESK_OFFICER)


@pytest.fixture
def smtp_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    from tests.smtp_server import start_smtp_server

    server = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5  # a stuck test fails instead of hanging
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Outbox deliveries run as soon as their transaction commits (the database backend is
    # exercised by its own test with a real worker); SMS go to a file unless a test says so.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MOTCUA_SMS_BACKEND = "file"
    settings.MOTCUA_SMS_DIR = tmp_path / "sms"
    # Status messages to the upper-level portals go to a file unless a test starts a simulator.
    settings.MOTCUA_PORTALS, settings.MOTCUA_PORTAL_FILE_DIR = ["file"], tmp_path / "portal"
    from motcua.interop.systems import adapter_for

    adapter_for.cache_clear()
    # The audit key and checkpoints of a test stay in its own folder.
    settings.MOTCUA_AUDIT_KEY_FILE = tmp_path / "audit_key"
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _fresh_caches(settings):  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache (cached pages, visitor marks) and writes the
    buffered visits itself (no background flusher thread)."""
    from django.core.cache import cache

    from motcua.procedures.selectors import forget_parts
    from motcua.site.visits import counting

    settings.MOTCUA_VISITS_FLUSH_SECONDS = 0
    cache.clear()
    forget_parts()
    counting.recent.clear()
    counting._salts.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Redis tests run where a Redis server is named (.ci/run names 127.0.0.1:6379), the
    deployment tests (their own PostgreSQL servers, gunicorn, workers) where .ci/run asks for
    them; a fresh laptop's `make test` leaves them out rather than skipping them."""
    left_out = {
        marker
        for marker, variable in [
            ("redis", "MOTCUA_TEST_REDIS_URL"),
            ("deployment", "MOTCUA_TEST_DEPLOYMENT"),
        ]
        if not os.environ.get(variable)
    }
    kept = [item for item in items if not left_out & set(item.keywords)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture
def redis_cache(settings):  # type: ignore[no-untyped-def]
    """The default cache on the Redis server of MOTCUA_TEST_REDIS_URL (must answer)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["MOTCUA_TEST_REDIS_URL"],
        }
    }
    cache.clear()
    assert cache.add("motcua:test:ping", 1) is not None  # raises if Redis does not answer
    yield cache
    cache.clear()

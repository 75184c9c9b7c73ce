"""One settings module, configured from the environment (see README: Configuration)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Environment first; otherwise a key generated once and kept in var/ (laptop installs)."""
    if key := os.environ.get("MOTCUA_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("MOTCUA_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    "motcua.core",
    "motcua.procedures",
    "motcua.dossiers",
    "motcua.portal",
    "motcua.certification",
    "motcua.documents",
    "motcua.site",
    "motcua.reports",
    "motcua.planning",
    "motcua.interop",
    "motcua.api",
    # The ward websites (Wagtail): admin at /cms/, pages served by motcua.site.
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "motcua.core.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside Django's (answers first): SAMEORIGIN for the admin pages, DENY elsewhere.
    "motcua.core.middleware.FrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "motcua.site.visits.middleware.VisitCountingMiddleware",
    # After a write, the same browser reads the primary for a while (core/replica.py).
    "motcua.core.replica.PrimaryAfterWrite",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.core.replica.as_of_context",
            ],
        },
    },
]

# Database: the embedded SQLite file by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=int(os.environ.get("MOTCUA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait on the
    # busy timeout instead of failing with "database is locked" when upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not shared memory) so that threaded tests see real SQLite locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_motcua.sqlite3")}

# Behind PgBouncer in transaction mode (deploy/pgbouncer.ini) a transaction may land on any
# server connection: no server-side cursors (they outlive the transaction), as Django's
# documentation asks; psycopg's prepared statements are already off (Django's default).
if env_bool("MOTCUA_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# A PostgreSQL streaming replica for the figures (reports, dashboards, exports, the website's
# figures): core/replica.py says what reads it and when the primary is read instead.
if replica_url := os.environ.get("MOTCUA_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=int(os.environ.get("MOTCUA_DB_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
MOTCUA_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("MOTCUA_REPLICA_MAX_LAG_SECONDS", "300"))
MOTCUA_REPLICA_CHECK_SECONDS = float(os.environ.get("MOTCUA_REPLICA_CHECK_SECONDS", "2"))
MOTCUA_PRIMARY_AFTER_WRITE_SECONDS = int(os.environ.get("MOTCUA_PRIMARY_AFTER_WRITE_SECONDS", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "motcua.core.auth.StaffBackend",  # ModelBackend + the officer's roles in the same query
    "motcua.portal.auth.CitizenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): after N failures for one user name from one address.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("MOTCUA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("MOTCUA_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic on a laptop

# In-process by default: room for the website's page cache and a day of visitor marks (the
# default of 300 entries would drop buffered visits on a busy day).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}
if cache_url := os.environ.get("MOTCUA_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": cache_url,
    }

SESSION_COOKIE_HTTPONLY = True
# Sessions are written through to the database and read from the cache (Redis when several
# processes serve): a request does not query the session table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A working day: an unattended desk computer does not stay signed in for two weeks.
SESSION_COOKIE_AGE = int(float(os.environ.get("MOTCUA_SESSION_HOURS", "8")) * 3600)
# MOTCUA_HTTPS=1 declares that the site is served over HTTPS (directly or behind a proxy
# listed in MOTCUA_TRUSTED_PROXIES that sets X-Forwarded-Proto): secure cookies, HTTP
# redirected to HTTPS, HSTS for a year (MOTCUA_HSTS_SECONDS); `check --deploy` is then clean.
MOTCUA_HTTPS = env_bool("MOTCUA_HTTPS", False)
SESSION_COOKIE_SECURE = MOTCUA_HTTPS or env_bool("MOTCUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if MOTCUA_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("MOTCUA_HSTS_PRELOAD", True)
    if os.environ.get("MOTCUA_TRUSTED_PROXIES"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# DENY, but the admin pages (Wagtail's preview frames the page): core.middleware.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "motcua.core.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},  # one line per page saved otherwise
    },
}

# Working-day calendar: the country whose public holidays apply (python-holidays code).
MOTCUA_HOLIDAY_COUNTRY = os.environ.get("MOTCUA_HOLIDAY_COUNTRY", "VN")

# One-stop desk rules (DOMAIN.md §3). Numbers from the law, kept as settings.
MOTCUA_SUPPLEMENT_WINDOW_DAYS = int(os.environ.get("MOTCUA_SUPPLEMENT_WINDOW_DAYS", "3"))
MOTCUA_DUE_SOON_DAYS = int(os.environ.get("MOTCUA_DUE_SOON_DAYS", "1"))
MOTCUA_APOLOGY_LEAD_DAYS = int(os.environ.get("MOTCUA_APOLOGY_LEAD_DAYS", "1"))
MOTCUA_MAX_DUE_RESETS = int(os.environ.get("MOTCUA_MAX_DUE_RESETS", "1"))
MOTCUA_UPLOAD_MAX_MB = int(os.environ.get("MOTCUA_UPLOAD_MAX_MB", "20"))
# The address citizens reach MotCua at (printed in QR codes and messages).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")

# Background tasks (Django Tasks API): the database backend by default, so a laptop needs no
# broker; `manage.py db_worker` runs them (make run starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Mail: SMTP when MOTCUA_EMAIL_HOST is set, otherwise files under var/sent-mail (laptop demo).
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "MotCua <no-reply@motcua.local>")
MOTCUA_MAIL_DOMAIN = os.environ.get("MOTCUA_MAIL_DOMAIN", "motcua.local")
if email_host := os.environ.get("MOTCUA_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = email_host
    EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "sent-mail"

# SMS: "file" writes var/sms/sms.jsonl (laptop demo); "esms" speaks eSMS.vn's REST API.
MOTCUA_SMS_BACKEND = os.environ.get("MOTCUA_SMS_BACKEND", "file")
MOTCUA_SMS_URL = os.environ.get("MOTCUA_SMS_URL", "https://rest.esms.vn")
MOTCUA_SMS_API_KEY = os.environ.get("MOTCUA_SMS_API_KEY", "")
MOTCUA_SMS_SECRET_KEY = os.environ.get("MOTCUA_SMS_SECRET_KEY", "")
MOTCUA_SMS_BRANDNAME = os.environ.get("MOTCUA_SMS_BRANDNAME", "")
MOTCUA_SMS_DIR = Path(os.environ.get("MOTCUA_SMS_DIR", VAR_DIR / "sms"))

# Outbox retries: attempts in all, and the first wait (doubled after each failure).
MOTCUA_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "6"))
MOTCUA_OUTBOX_BACKOFF_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_BACKOFF_SECONDS", "60"))
# A portal outage must not lose a status message: temporary failures on the portal channel
# are retried without limit (0), the wait capped so the portal hears soon after it is back.
MOTCUA_OUTBOX_CHANNEL_LIMITS = {
    "portal": {
        "max_attempts": int(os.environ.get("MOTCUA_PORTAL_MAX_ATTEMPTS", "0")),
        "backoff_cap": int(os.environ.get("MOTCUA_PORTAL_BACKOFF_CAP_SECONDS", "900")),
    }
}

# Upper-level portals (motcua.interop): comma-separated systems to report every dossier to.
# "file" (laptop default) writes var/portal/<day>.jsonl; "dvcqg" and "lgsp" speak the national
# portal's and the province's integration platform's protocols (README, "Upper-level portals").
MOTCUA_PORTALS = [s for s in os.environ.get("MOTCUA_PORTALS", "file").split(",") if s.strip()]
# The portal whose citizens' dossiers are pulled into the desk queue ("dvcqg"; empty: none),
# every MOTCUA_PORTAL_INBOX_SECONDS.
MOTCUA_PORTAL_INBOUND = os.environ.get("MOTCUA_PORTAL_INBOUND", "")
MOTCUA_PORTAL_INBOX_SECONDS = int(os.environ.get("MOTCUA_PORTAL_INBOX_SECONDS", "300"))
MOTCUA_PORTAL_FILE_DIR = Path(os.environ.get("MOTCUA_PORTAL_FILE_DIR", VAR_DIR / "portal"))
# A status reached the portal "on time" within this many hours of the event (reports).
MOTCUA_PORTAL_SYNC_DELAY_HOURS = int(os.environ.get("MOTCUA_PORTAL_SYNC_DELAY_HOURS", "24"))
_PORTAL_TIMEOUT = os.environ.get("MOTCUA_PORTAL_TIMEOUT_SECONDS", "60")
MOTCUA_DVCQG = {
    "url": os.environ.get("MOTCUA_DVCQG_URL", "http://127.0.0.1:8767/dvcqg"),
    "auth_path": os.environ.get("MOTCUA_DVCQG_AUTH_PATH", "/auth"),
    "integration_path": os.environ.get("MOTCUA_DVCQG_INTEGRATION_PATH", "/integration"),
    "username": os.environ.get("MOTCUA_DVCQG_USERNAME", "motcua"),
    "secret": os.environ.get("MOTCUA_DVCQG_SECRET", "demo-secret"),
    "dstcode": os.environ.get("MOTCUA_DVCQG_DSTCODE", "000.00.00.G22"),
    "timeout": _PORTAL_TIMEOUT,
    "success_codes": os.environ.get("MOTCUA_DVCQG_SUCCESS_CODES", "0,00").split(","),
    "duplicate_codes": os.environ.get("MOTCUA_DVCQG_DUPLICATE_CODES", "11").split(","),
    "session_codes": os.environ.get("MOTCUA_DVCQG_SESSION_CODES", "401").split(","),
}
MOTCUA_LGSP = {
    "url": os.environ.get("MOTCUA_LGSP_URL", "http://127.0.0.1:8767/lgsp"),
    "token_url": os.environ.get("MOTCUA_LGSP_TOKEN_URL", ""),
    "client_id": os.environ.get("MOTCUA_LGSP_CLIENT_ID", "motcua"),
    "client_secret": os.environ.get("MOTCUA_LGSP_CLIENT_SECRET", "demo-secret"),
    "status_path": os.environ.get("MOTCUA_LGSP_STATUS_PATH", "/dvc/v1/ho-so/trang-thai"),
    "lookup_path": os.environ.get("MOTCUA_LGSP_LOOKUP_PATH", "/dvc/v1/ho-so/{code}"),
    "timeout": _PORTAL_TIMEOUT,
}
# Periodic jobs queued by `manage.py run_schedule` (motcua.core.schedule): seconds between runs.
MOTCUA_OUTBOX_SWEEP_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_SWEEP_SECONDS", "60"))
MOTCUA_MAILBOX_POLL_SECONDS = int(os.environ.get("MOTCUA_MAILBOX_POLL_SECONDS", "300"))
# Audit checkpoints outside the database (core/services/checkpoints.py): the HMAC key (or
# MOTCUA_AUDIT_KEY in the environment) and the folder of daily checkpoint files; keep both
# where the database's owner cannot write.
# Who is e-mailed when the daily check finds the audit log broken (default: the superusers).
MOTCUA_AUDIT_ALERT_EMAILS = [
    a.strip() for a in os.environ.get("MOTCUA_AUDIT_ALERT_EMAILS", "").split(",") if a.strip()
]
MOTCUA_AUDIT_KEY_FILE = Path(os.environ.get("MOTCUA_AUDIT_KEY_FILE", VAR_DIR / "audit_key"))
MOTCUA_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("MOTCUA_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)
MOTCUA_AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("MOTCUA_AUDIT_CHECKPOINT_SECONDS", "86400"))

# Online payment (VNPAY protocol). Without MOTCUA_VNPAY_URL the built-in gateway simulator
# answers at /gia-lap/vnpay/ so that the demo works offline; production sets all four.
MOTCUA_VNPAY_URL = os.environ.get("MOTCUA_VNPAY_URL", "")
MOTCUA_VNPAY_TMN_CODE = os.environ.get("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")
MOTCUA_VNPAY_SECRET = os.environ.get("MOTCUA_VNPAY_SECRET", "") or SECRET_KEY[:32]
MOTCUA_PAYMENT_SIMULATOR = not MOTCUA_VNPAY_URL

# Electronic certified copies: the procedures that are "copy from the original", and the
# password of the demo ward's key files (make run creates them; production keys name their
# own environment variable, see SigningKey).
MOTCUA_COPY_CERTIFICATION_PROCEDURES = env_list(
    "MOTCUA_COPY_CERTIFICATION_PROCEDURES", "2.000815,2.000942"
)
MOTCUA_DEMO_PKI_PASSWORD = os.environ.get("MOTCUA_DEMO_PKI_PASSWORD", "PhuThuy-PKI-demo")

# Public look-ups and citizen sign-in, per client address (django-ratelimit syntax).
MOTCUA_LOOKUP_RATE = os.environ.get("MOTCUA_LOOKUP_RATE", "30/m")
MOTCUA_SIGNUP_RATE = os.environ.get("MOTCUA_SIGNUP_RATE", "10/h")
MOTCUA_VERIFY_RATE = os.environ.get("MOTCUA_VERIFY_RATE", "60/m")  # public copy verification
RATELIMIT_VIEW = "motcua.portal.views.rate_limited"
# Behind a reverse proxy: its addresses or networks (comma-separated). Only then is
# X-Forwarded-For read; rate limits, login lockout and the visitor counter all take the
# address from motcua.core.network.client_ip.
MOTCUA_TRUSTED_PROXIES = env_list("MOTCUA_TRUSTED_PROXIES", "")
RATELIMIT_IP_META_KEY = "motcua.core.network.client_ip"
AXES_CLIENT_IP_CALLABLE = "motcua.core.network.client_ip"
# The limits count in the default cache: per process on a laptop (locmem), shared once
# MOTCUA_REDIS_URL is set, which a multi-process deployment must do.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MotCua API",
    "DESCRIPTION": "One-stop desk of commune-level People's Committees",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "motcua.core.models.users.Role",
        "ApplicantKindEnum": "motcua.dossiers.models.ApplicantKind",
    },
    "PREPROCESSING_HOOKS": ["motcua.api.schema.only_our_api"],
}

# --- Citizen single sign-on (OpenID Connect) ---
# Citizens may sign in through the national identity provider (VNeID) acting as an OpenID
# Connect provider. mozilla-django-oidc does no discovery: each endpoint is set explicitly.
# Off unless a client id and an authorization endpoint are configured.
OIDC_RP_CLIENT_ID = os.environ.get("MOTCUA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("MOTCUA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MOTCUA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTCUA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("MOTCUA_OIDC_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTCUA_OIDC_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = os.environ.get("MOTCUA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_OIDC_SCOPES", "openid profile email phone")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 15  # seconds per call to the provider: a stalled provider must not hang workers
OIDC_AUTHENTICATE_CLASS = "motcua.portal.oidc.CitizenOIDCAuthenticationRequestView"
OIDC_CALLBACK_CLASS = "motcua.portal.oidc.CitizenOIDCCallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/"  # mozilla-django-oidc's name; the view adds an explanation
MOTCUA_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT)
MOTCUA_OIDC_PERSONAL_ID_CLAIM = os.environ.get("MOTCUA_OIDC_PERSONAL_ID_CLAIM", "personal_id")
MOTCUA_OIDC_PROVIDER_NAME = os.environ.get("MOTCUA_OIDC_PROVIDER_NAME", "VNeID")  # button label
MOTCUA_OIDC_LOGIN_REDIRECT_URL = "/cong-dan/ho-so/"  # the citizen's "my dossiers" page
AUTHENTICATION_BACKENDS.append("motcua.portal.oidc.CitizenOIDCBackend")

# The ward websites (Wagtail, motcua.site).
WAGTAIL_SITE_NAME = "MotCua"
WAGTAILADMIN_BASE_URL = MOTCUA_PUBLIC_URL
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_LOGIN_URL = "login"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # an offline intranet: no call to wagtail.io
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through Django, with the site's permissions
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000  # Wagtail's page editor posts many fields
# Public pages served to anonymous visitors are cached this many seconds (0: off); a publish
# clears the site's cache at once.
MOTCUA_PAGE_CACHE_SECONDS = int(os.environ.get("MOTCUA_PAGE_CACHE_SECONDS", "60"))
# Visitor counter: off with "false"; new visits are buffered in the cache and written to the
# database in batches every MOTCUA_VISITS_FLUSH_SECONDS by a thread of each web process
# (0: only by the periodic job, which also closes finished days, weeks and months).
MOTCUA_VISITS_ENABLED = env_bool("MOTCUA_VISITS_ENABLED", True)
MOTCUA_VISITS_FLUSH_SECONDS = float(os.environ.get("MOTCUA_VISITS_FLUSH_SECONDS", "5"))
MOTCUA_VISITS_ROLLOVER_SECONDS = int(os.environ.get("MOTCUA_VISITS_ROLLOVER_SECONDS", "300"))
# Feedback (phản ánh, kiến nghị) sent through a website: working days to answer it, and how
# many a client address may send per hour.
MOTCUA_FEEDBACK_DAYS = int(os.environ.get("MOTCUA_FEEDBACK_DAYS", "10"))
MOTCUA_FEEDBACK_RATE = os.environ.get("MOTCUA_FEEDBACK_RATE", "5/h")

# Reports. The indicators of Thông tư 01/2018 an officer is judged by (verify: DOMAIN.md gives
# the thresholds, ≥5 points for full completion, not the list).
MOTCUA_TT01_STAFF_INDICATORS = os.environ.get("MOTCUA_TT01_STAFF_INDICATORS", "1,2,3,7")
# How often the scheduler checks whether last month's reports are to be sent (seconds).
MOTCUA_MONTHLY_REPORT_CHECK_SECONDS = int(
    os.environ.get("MOTCUA_MONTHLY_REPORT_CHECK_SECONDS", "3600")
)
# Planning: working days after a field trip by which its report is due; how often overdue
# remediation tasks are escalated to the unit's leaders (seconds).
MOTCUA_FIELD_REPORT_DAYS = int(os.environ.get("MOTCUA_FIELD_REPORT_DAYS", "1"))
MOTCUA_ESCALATION_SECONDS = int(os.environ.get("MOTCUA_ESCALATION_SECONDS", "3600"))

# Crash recovery (motcua.core.recovery, periodic): a job still "in progress" this many seconds
# after its worker took it is taken to have died with its worker (SIGKILL, power cut) and is
# queued again, or failed with the reason after MOTCUA_STALE_MAX_ATTEMPTS runs. "task" is a
# django-tasks row left RUNNING; it is marked FAILED so that it never blocks or reruns.
MOTCUA_STALE_AFTER = {
    "signing": int(os.environ.get("MOTCUA_STALE_SIGNING_SECONDS", "900")),
    "sending": int(os.environ.get("MOTCUA_STALE_SENDING_SECONDS", "600")),
    "task": int(os.environ.get("MOTCUA_STALE_TASK_SECONDS", "3600")),
}
MOTCUA_STALE_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_STALE_MAX_ATTEMPTS", "3"))
MOTCUA_RECOVERY_SECONDS = int(os.environ.get("MOTCUA_RECOVERY_SECONDS", "300"))
# Uploaded files no row refers to (a receipt killed before its commit) are removed after this
# grace period by the periodic orphan sweep (moved to var/orphans, kept for inspection).
MOTCUA_ORPHAN_GRACE_SECONDS = int(os.environ.get("MOTCUA_ORPHAN_GRACE_SECONDS", "3600"))
MOTCUA_ORPHAN_SWEEP_SECONDS = int(os.environ.get("MOTCUA_ORPHAN_SWEEP_SECONDS", "3600"))
MOTCUA_ORPHAN_DIR = Path(os.environ.get("MOTCUA_ORPHAN_DIR", VAR_DIR / "orphans"))
# Tests only: the signing task waits, after signing and before saving, until a file "release"
# appears in this directory (it writes "signing-<id>" there first), so that a test can kill
# the worker mid-signing without guessing times. Never set in production.
MOTCUA_TEST_SIGNING_PAUSE_DIR = os.environ.get("MOTCUA_TEST_SIGNING_PAUSE_DIR", "")

# Content-Security-Policy of every page (core.middleware.ContentSecurityPolicyMiddleware): our
# pages load scripts and styles from our own static files only, no inline code; a form may post
# only to us and to the payment gateway (form-action covers the redirect to it).
_PAYMENT_ORIGIN = "/".join(MOTCUA_VNPAY_URL.split("/")[:3]) if MOTCUA_VNPAY_URL else ""
MOTCUA_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"] + ([_PAYMENT_ORIGIN] if _PAYMENT_ORIGIN else []),
    "frame-ancestors": ["'none'"],
}
# Django's and Wagtail's admin pages carry inline scripts and styles of their own.
MOTCUA_CSP_ADMIN_PATHS = ("/admin/", "/cms/")
MOTCUA_CSP_ADMIN = {
    **MOTCUA_CSP,
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

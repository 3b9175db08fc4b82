"""CONECT Organizer settings: one module, driven by the environment.

Every knob is an environment variable with a safe default for a laptop (`make run`): SQLite under
var/, Celery on kombu's filesystem transport under var/, email to the console. Production sets
DJANGO_DEBUG=0 (the default), DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and
CELERY_BROKER_URL (see docs/operations.md).
"""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONECT_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting; a word that is neither (DJANGO_SECURE=flase) stops start-up."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use one of "
        f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}"
    )


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated; an empty value (a blank line in .env) means the default."""
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, else a key generated once into var/secret_key (git-ignored)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    key = key_file.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{key_file} is empty: delete it or set DJANGO_SECRET_KEY")
    return key


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = _secret_key()
# The one public address (links in emails, calendar feeds, exports; the TLS front's site). It
# also names the host and the trusted origin unless DJANGO_ALLOWED_HOSTS / _CSRF_TRUSTED_ORIGINS
# say otherwise. Production servers refuse to start without it (conect.config).
SITE_URL = os.environ.get("CONECT_SITE_URL", "").strip()
_site = urlsplit(SITE_URL)
# testserver lets `manage.py shell` use django.test.Client for smoke checks.
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", _site.hostname or "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", f"{_site.scheme}://{_site.netloc}" if _site.hostname else ""
)

INSTALLED_APPS = [
    "conect.apps.ConectAdminConfig",  # the admin, signing in through allauth (conect/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_bootstrap5",
    "django_filters",
    "django_htmx",
    "csp",
    "conect",
    "members",
    "congregations",
    "relationships",
    "campaigns",
    "actions",
    "accountability",
    "notifications",
    "home",
]

MIDDLEWARE = [
    # /healthz/ answers before host validation (any probe's Host) and the HTTPS redirect.
    "conect.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # NUL, control characters, oversized values in the query string: 400 before any view.
    "conect.middleware.QueryGuardMiddleware",
    # The request's client address, for the audit log (behind DJANGO_TRUSTED_PROXY_COUNT proxies).
    "conect.clientip.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A request that wrote invalidates the cached page fragments (conect.fragments).
    "conect.fragments.WritesBumpMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # docs/security.md: no-store and Permissions-Policy; the idle sign-out (after the messages,
    # it leaves one); two-step sign-in for whoever must have it (after allauth's middleware).
    "conect.middleware.SecurityHeadersMiddleware",
    "conect.middleware.IdleTimeoutMiddleware",
    "conect.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "conect.urls"
WSGI_APPLICATION = "conect.wsgi.application"
ASGI_APPLICATION = "conect.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conect.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'conect.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("REDIS_URL"):
    # Fails open: with Redis down every read is a miss and a warning is logged, so sign-in still
    # works (conect/cache.py). Short timeouts: an unreachable host must not hang a request.
    CACHES = {
        "default": {
            "BACKEND": "conect.cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- People and login -------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "members.adapters.InviteOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # staff invite people; there is no open sign-up to verify
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Sign-in limits (docs/security.md "Rate limits"): strict per account, generous per address so
# an assembly hall behind one NAT never locks its people out. Per address: sign-in attempts, and
# failed ones; per account ("key", the email): 5 failures in 5 minutes.
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("DJANGO_LOGIN_RATE", "300/m/ip"),
    "login_failed": os.environ.get("DJANGO_LOGIN_FAILED_RATE", "60/m/ip,5/5m/key"),
}
# How many proxies we run in front of the app, each appending to X-Forwarded-For: the client's
# address is the N-th entry from the right (conect/clientip.py). 0 ignores the header; the
# documented stack (one TLS proxy) needs 1.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more")
# Two-step sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes. Who must use it
# is conect.access.must_use_mfa, enforced by conect.middleware.MFARequiredMiddleware.
MFA_ADAPTER = "members.adapters.ConectMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CONECT Organizer"
MFA_TOTP_TOLERANCE = 1  # a phone clock 30 s off still signs in

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["conect.formats"]  # dates with their weekday, in each language's order
USE_I18N = True
TIME_ZONE = "America/New_York"
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
BOOTSTRAP5 = {"css_url": None, "javascript_url": None, "set_placeholder": False}

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "conect.logs.ConsoleEmailBackend"  # INFO lines
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "CONECT Organizer <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------------
# localhost names no server (the embedded broker is folders); it stops kombu's "No hostname".
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://localhost/"
CELERY_BROKER_EMBEDDED = CELERY_BROKER_URL.startswith("filesystem://")
if CELERY_BROKER_EMBEDDED:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # else kombu writes ./control/
        "store_processed": False,
        # The laptop's worker checks its folder 5 times a second: a stop (Ctrl-C) takes ~2 s
        # instead of ~5, well inside honcho's 5-second wait before SIGKILL.
        "polling_interval": 0.2,
    }
else:
    # Longer than any task, so an unacked task is redelivered only when its worker died.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
# Reminders: a sweep finds what is due (never long ETAs); the Notification claim row makes it
# exactly once, so running it often is free.
CELERY_BEAT_SCHEDULE["reminders-sweep"] = {
    "task": "notifications.tasks.reminders_sweep_task",
    "schedule": 300.0,
}
# Import previews never confirmed keep contact details: forget them after 7 days (members).
CELERY_BEAT_SCHEDULE["members-purge-import-uploads"] = {
    "task": "members.tasks.purge_import_uploads_task",
    "schedule": crontab(hour=3, minute=20),
}
# The duplicate queue reads the pairs of the last scan (members.duplicates): nightly.
CELERY_BEAT_SCHEDULE["members-duplicates-refresh"] = {
    "task": "members.tasks.duplicates_refresh_task",
    "schedule": crontab(hour=3, minute=40),
}
# A web request that queues a task must not hang when the broker is down: fail fast, the next
# sweep picks the work up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# No lost work (issue 12): every task is queued through conect.dispatch and leaves its effect
# recoverable from the database; these sweeps find what a lost task did not do.
CELERY_BEAT_SCHEDULE["actions-return-to-relationships-sweep"] = {
    "task": "actions.tasks.return_to_relationships_sweep_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["members-requeue-lost-imports"] = {
    "task": "members.tasks.import_jobs_requeue_task",
    "schedule": 120.0,
}
# Leaders' own commitments (issue 14): those whose due date has ended resolve to kept or broken.
CELERY_BEAT_SCHEDULE["accountability-resolve-commitments"] = {
    "task": "accountability.tasks.leader_commitments_resolve_task",
    "schedule": crontab(minute=15),
}
# Tallies (issue 16): the counts the homes and lists show are recounted here, not per request.
CELERY_BEAT_SCHEDULE["members-ladder-tally"] = {
    "task": "members.tasks.ladder_tally_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["congregations-tallies"] = {
    "task": "congregations.tasks.tallies_refresh_task",
    "schedule": 60.0,
}
# The relational tallies are kept by the services that log meetings; this hourly rebuild is the
# net for anything that went around them (16 s + 12 s at a million people, writing only diffs).
CELERY_BEAT_SCHEDULE["relationships-tallies"] = {
    "task": "relationships.tasks.tallies_rebuild_task",
    "schedule": crontab(minute=40),
}
# Dues (issue 6): assess the current fiscal year daily; idempotent, picks up new members.
CELERY_BEAT_SCHEDULE["dues-assess-current-year"] = {
    "task": "congregations.tasks.dues_assess_current_year",
    "schedule": crontab(hour=5, minute=10),
}

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The longest a sign-in lasts; staff and leads are also signed out after STAFF_IDLE_MINUTES
# without a request (conect/config.py, CONECT_STAFF_IDLE_MINUTES).
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_HOURS", str(14 * 24))) * 3600)
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if env_bool("DJANGO_SECURE", default=not DEBUG):
    SECURE_SSL_REDIRECT = True
    # Load balancers and compose health checks probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS") or 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "conect.logs.JsonFormatter"},  # LOG_FORMAT=json: one object per line
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- API (issue 15): OSDI / Action Network v2 over Django REST framework ----------------------
# The app sits on its own floor, below home (docs/api.md). Tokens, not sessions, sign in to
# /api/v2/; the schema and its Swagger page (assets from drf-spectacular-sidecar, no CDN) also
# answer a signed-in session.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.OsdiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.HalJsonRenderer",
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "api.renderers.HalJsonParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Per token; Action Network allows 4 requests a second.
    "DEFAULT_THROTTLE_RATES": {"osdi_token": os.environ.get("CONECT_API_RATE", "240/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.osdi_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CONECT Organizer API",
    "DESCRIPTION": "OSDI / Action Network v2-compatible: people, tags, taggings, events "
    "(actions) and attendances. Send your token in the OSDI-API-Token header. See docs/api.md.",
    "VERSION": "2",
    "SCHEMA_PATH_PREFIX": r"/api/v2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.OsdiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EmailStatusEnum": "api.serializers.EMAIL_STATUSES",
        "ConsentStatusEnum": "api.serializers.CONSENT_STATUSES",
        "EventStatusEnum": "api.serializers.EVENT_STATUSES",
        "AttendanceStatusEnum": "api.serializers.ATTENDANCE_STATUSES",
    },
}
# Webhooks: a sweep queues deliveries whose retry is due (a lost task, a broker outage); old
# changes and their delivery log are purged after 30 days.
CELERY_BEAT_SCHEDULE["api-webhooks-sweep"] = {
    "task": "api.tasks.webhooks_sweep_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["api-webhooks-purge"] = {
    "task": "api.tasks.webhooks_purge_task",
    "schedule": crontab(hour=3, minute=40),
}

# --- Organizing rules -------------------------------------------------------------------------
# The defaults are in conect/config.py (read them with conect_setting); these come from the
# environment.
CONECT = {
    name: cast(os.environ[f"CONECT_{name}"])
    for name, cast in {
        "SITE_URL": str,
        "NOTIFY_MAX_ATTEMPTS": int,
        "FISCAL_YEAR_START_MONTH": int,
        "DUES_ARREARS_DAYS": int,
        "STAFF_IDLE_MINUTES": int,
    }.items()
    if os.environ.get(f"CONECT_{name}")
}
if os.environ.get("CONECT_MFA_REQUIRED"):
    CONECT["MFA_REQUIRED"] = env_bool("CONECT_MFA_REQUIRED")


# --- Operations (issue 12) ----------------------------------------------------------------------
# Uploaded files on S3-compatible storage when a bucket is named, so several web and worker
# containers share them (docs/scaling.md); the access keys are boto3's AWS_* variables.
if _bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,  # private; pages get short-lived signed links
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Errors from web and workers to Sentry when SENTRY_DSN is set. Private notes stay private: no
# request bodies, no local variables, no personal data.
if _sentry_dsn := os.environ.get("SENTRY_DSN"):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=_sentry_dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT") or "production",
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
    )

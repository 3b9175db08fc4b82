"""Test settings: the real settings, made fast and quiet."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DJANGO_SECURE", "0")

from .settings import *  # noqa: E402,F403
from .settings import CONECT, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The suite signs personas in with force_login: two-step sign-in would stop every admin test at
# the setup page. tests/conect/test_mfa.py turns it on (docs/decisions.md).
CONECT = {**CONECT, "MFA_REQUIRED": False}
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]  # allauth accepts False: no limits in tests
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests run on an in-memory database; the file options do not apply.
    DATABASES["default"]["OPTIONS"] = {}
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

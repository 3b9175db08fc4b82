"""Operator settings and logs (issue 12): one documented .env.example holds every setting the
code reads; JSON logs on request; emails on a laptop are INFO log lines; beat's health check."""

import json
import logging
import os
import re
import time
from pathlib import Path

from django.core import mail
from django.test import override_settings

from conect.healthcheck import beat
from conect.logs import JsonFormatter

BASE = Path(__file__).resolve().parents[2]
# Read by docker-compose only, or by boto3 itself.
COMPOSE_ONLY = {
    "POSTGRES_PASSWORD",
    "POSTGRES_USER",
    "CONECT_DB_OWNER_PASSWORD",
    "CONECT_DB_APP_PASSWORD",
    "CADDY_TLS",
    "HTTP_PORT",
    "HTTPS_PORT",
    "CELERY_CONCURRENCY",
}
SOURCES = ["conect/settings.py", "gunicorn.conf.py", "conect/healthcheck.py", "Makefile"]


def documented() -> dict[str, str]:
    """Each setting in .env.example (set, or commented out) with the comment above its group."""
    settings: dict[str, str] = {}
    comment: list[str] = []
    after_setting = False
    for line in (BASE / ".env.example").read_text().splitlines():
        if match := re.match(r"#? ?([A-Z][A-Z0-9_]+)=", line):
            settings[match.group(1)] = " ".join(comment)
            after_setting = True
        elif line.startswith("#"):
            comment = [line] if after_setting else [*comment, line]
            after_setting = False
        else:
            comment, after_setting = [], False
    return settings


def read_by_code() -> set[str]:
    names = set()
    for source in SOURCES:
        text = (BASE / source).read_text()
        names |= set(re.findall(r'environ(?:\.get)?[\(\[]\s*"([A-Z][A-Z0-9_]+)"', text))
        names |= set(re.findall(r'env_(?:bool|list)\(\s*"([A-Z][A-Z0-9_]+)"', text))
        names |= {f"CONECT_{n}" for n in re.findall(r'^\s+"([A-Z_]+)": (?:str|int),', text, re.M)}
    return names - {"DJANGO_SETTINGS_MODULE", "CONECT_ENV_FILE", "PATH"}


def test_every_setting_the_code_reads_is_in_env_example_with_an_explanation():
    settings = documented()
    missing = read_by_code() - set(settings)
    assert not missing, f"add to .env.example: {sorted(missing)}"
    unexplained = [name for name, comment in settings.items() if not comment]
    assert not unexplained, unexplained
    assert set(settings) >= COMPOSE_ONLY


def test_json_logs_are_one_object_per_line():
    record = logging.LogRecord("conect.x", logging.WARNING, __file__, 1, "queued %s", ("it",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["message"] == "queued it"
    assert entry["logger"] == "conect.x" and entry["time"].endswith("+00:00")


@override_settings(EMAIL_BACKEND="conect.logs.ConsoleEmailBackend")
def test_laptop_emails_are_info_log_lines(caplog):
    with caplog.at_level(logging.INFO, logger="conect.email"):
        mail.send_mail("Follow up with Ana", "Tomorrow.", "from@x.org", ["lead@x.org"])
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert "email to lead@x.org: Follow up with Ana" in record.getMessage()


def test_beat_health_check_follows_the_schedule_file(tmp_path):
    assert beat(tmp_path) == 1  # beat has written nothing yet
    schedule = tmp_path / "celerybeat-schedule"
    schedule.write_bytes(b"x")
    assert beat(tmp_path) == 0
    old = time.time() - 3600
    os.utime(schedule, (old, old))
    assert beat(tmp_path) == 1  # beat stopped ticking an hour ago


def settings_in_a_fresh_process(tmp_path, code: str, **env) -> str:
    from tests.conect.test_settings import run_python

    setup = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='conect.settings'; django.setup();"
    )
    result = run_python(setup + code, CONECT_VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_uploads_go_to_s3_when_a_bucket_is_named(tmp_path):
    code = "from django.conf import settings as s; print(s.STORAGES['default'])"
    assert "FileSystemStorage" in settings_in_a_fresh_process(tmp_path, code)
    out = settings_in_a_fresh_process(
        tmp_path,
        code,
        AWS_STORAGE_BUCKET_NAME="conect-uploads",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
    )
    assert "storages.backends.s3.S3Storage" in out and "conect-uploads" in out
    assert "https://s3.example.org" in out and "'default_acl': None" in out


def test_errors_go_to_sentry_when_a_dsn_is_set(tmp_path):
    code = (
        "import sentry_sdk; c = sentry_sdk.get_client();"
        "print(c.is_active(), sorted(c.integrations), c.options['send_default_pii'],"
        " c.options['include_local_variables'])"
    )
    assert settings_in_a_fresh_process(tmp_path, code).startswith("False")
    out = settings_in_a_fresh_process(
        tmp_path, code, SENTRY_DSN="https://public@sentry.example.org/1"
    )
    assert out.startswith("True") and "'celery'" in out and "'django'" in out
    assert out.rstrip().endswith("False False")  # no personal data, no local variables


def test_json_logs_when_asked(tmp_path):
    code = "from django.conf import settings as s; print(s.LOGGING['handlers']['console'])"
    assert "'plain'" in settings_in_a_fresh_process(tmp_path, code)
    assert "'json'" in settings_in_a_fresh_process(tmp_path, code, LOG_FORMAT="json")

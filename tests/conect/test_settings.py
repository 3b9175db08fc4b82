"""Settings come from the environment; production checks stay clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONECT_"))}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "EMAIL_BACKEND"):
        environment.pop(name, None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, env=environment, capture_output=True, text=True
    )


SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='conect.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL,"
    " s.TIME_ZONE, s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)"
)


def test_defaults_are_a_safe_laptop(tmp_path):
    result = run_python(SHOW, CONECT_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("False ")  # DEBUG off unless asked
    assert "sqlite3" in out and "filesystem://" in out and "America/New_York" in out
    assert "conect.logs.ConsoleEmailBackend" in out  # emails as INFO log lines
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_environment_switches_everything(tmp_path):
    result = run_python(
        SHOW,
        CONECT_VAR_DIR=str(tmp_path),
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="a.example, b.example",
        DATABASE_URL="postgres://u:p@db:5432/x",
        CELERY_BROKER_URL="redis://r:6379/0",
        REDIS_URL="redis://r:6379/1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("True ['a.example', 'b.example'] django.db.backends.postgresql")
    assert "redis://r:6379/0" in out and "RedisCache" in out and "smtp.EmailBackend" in out
    assert not (tmp_path / "secret_key").exists()  # a given key is never written down


def test_deploy_check_is_clean_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "CONECT_VAR_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x9Y!" * 12,
            "DJANGO_ALLOWED_HOSTS": "conect.example.org",
            "CONECT_SITE_URL": "https://conect.example.org",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ["/", "/people/", "/healthz/"])
def test_production_redirects_to_https_but_not_the_health_check(tmp_path, path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='conect.settings'; django.setup();"
        "from django.test import Client;"
        f"r = Client().get('{path}'); print(r.status_code, r.get('Location', ''))"
    )
    result = run_python(code, CONECT_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/x")
    assert result.returncode == 0, result.stderr
    if path == "/healthz/":
        assert result.stdout.split()[0] in ("200", "503")
    else:
        assert result.stdout.startswith("301 https://")


def test_every_beat_entry_names_a_registered_task():
    from django.conf import settings

    from conect.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names and names <= set(app.tasks), names - set(app.tasks)


@pytest.mark.parametrize("word", ["flase", "Y", "enabled", "2"])
def test_an_unknown_boolean_word_stops_start_up(tmp_path, word):
    result = run_python(SHOW, CONECT_VAR_DIR=str(tmp_path), DJANGO_SECURE=word)
    assert result.returncode != 0
    assert f"DJANGO_SECURE={word!r} is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("word", "debug"), [("yes", True), ("ON", True), ("0", False), ("", False)]
)
def test_boolean_words_that_are_accepted(tmp_path, word, debug):
    result = run_python(SHOW, CONECT_VAR_DIR=str(tmp_path), DJANGO_DEBUG=word)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{debug} ")


def test_conect_settings_come_from_one_place(settings):
    from conect.config import DEFAULTS, conect_setting

    settings.CONECT = {"GOING_COLD_DAYS": 30}
    assert conect_setting("GOING_COLD_DAYS") == 30  # an override wins
    assert conect_setting("DUES_ARREARS_DAYS") == DEFAULTS["DUES_ARREARS_DAYS"] == 90
    with pytest.raises(KeyError):
        conect_setting("NO_SUCH_RULE")


def test_environment_sets_conect_rules(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='conect.settings'; django.setup();"
        "from conect.config import conect_setting as c;"
        "print(c('SITE_URL'), c('DUES_ARREARS_DAYS'), c('FISCAL_YEAR_START_MONTH'))"
    )
    result = run_python(
        code,
        CONECT_VAR_DIR=str(tmp_path),
        CONECT_SITE_URL="https://organizer.conect.org",
        CONECT_DUES_ARREARS_DAYS="60",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://organizer.conect.org", "60", "7"]

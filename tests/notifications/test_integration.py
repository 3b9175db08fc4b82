"""Exactly-once across processes on PostgreSQL, a real Celery worker on Redis, and a broker
outage. Marked `postgres`: these need a database that several processes share."""

import datetime
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from conect.dispatch import send
from notifications.models import Notification, Status
from notifications.reminders import reminders_sweep
from notifications.services import notifications_deliver
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import FollowUpFactory

BASE = Path(__file__).resolve().parents[2]
# Celery reads CELERY_BROKER_URL from the environment before any app's own setting, so a test
# client and a test worker must both use it when it is set (CI sets it to Redis).
_env_broker = os.environ.get("CELERY_BROKER_URL", "")
REDIS = _env_broker if _env_broker.startswith("redis://") else "redis://127.0.0.1:6379/13"


def child_env(tmp_path, **extra) -> dict:
    """The environment of a child process that uses this test's database."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="conect.settings",
        DJANGO_SECRET_KEY="tests-only",
        DJANGO_SECURE="0",
        CONECT_SITE_URL="https://organizer.conect.org",  # a production worker needs it
        DATABASE_URL=url,
        CONECT_VAR_DIR=str(tmp_path / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        **extra,
    )
    return env


def messages_sent(tmp_path) -> list[str]:
    folder = tmp_path / "mail"
    if not folder.exists():
        return []
    text = "".join(path.read_text() for path in folder.iterdir())
    return [line for line in text.splitlines() if line.startswith("Message-ID: <notification-")]


def seed_due_follow_ups(n_owners=12, per_owner=25):
    owners = UserFactory.create_batch(n_owners, role="leader")
    for owner in owners:
        PersonFactory(user=owner)
        for _ in range(per_owner):
            FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
    return n_owners * per_owner


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_message_once(tmp_path):
    expected = seed_due_follow_ups()
    command = [sys.executable, "manage.py", "send_due_reminders", "--now", "2026-11-27T08:00"]
    env = child_env(tmp_path)
    sweeps = [
        subprocess.Popen(
            command, cwd=BASE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [sweep.communicate(timeout=120) for sweep in sweeps]
    assert [sweep.returncode for sweep in sweeps] == [0, 0], outputs
    sent = messages_sent(tmp_path)
    assert len(sent) == expected
    assert len(set(sent)) == expected  # no Message-ID twice
    assert Notification.objects.count() == expected
    assert Notification.objects.filter(status=Status.SENT).count() == expected


def redis_answers() -> bool:
    host, port = "127.0.0.1", 6379
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_on_redis_delivers_once(tmp_path):
    if not redis_answers():
        if os.environ.get("CONECT_REQUIRE_POSTGRES") == "1":
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("needs Redis on 127.0.0.1:6379")
    expected = seed_due_follow_ups(n_owners=4, per_owner=10)
    reminders_sweep(datetime.datetime(2026, 11, 27, 13, 0, tzinfo=datetime.UTC))
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == expected
    env = child_env(tmp_path, CELERY_BROKER_URL=REDIS)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "conect",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "conect-test",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = Celery(broker=REDIS)
        name = "notifications.tasks.notifications_deliver_task"
        # The same rows twice, as a redelivered message or a second sweep would queue them.
        client.send_task(name, args=[ids], queue="conect-test")
        client.send_task(name, args=[ids], queue="conect-test")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if Notification.objects.filter(status=Status.SENT).count() == expected:
                break
            time.sleep(0.5)
        time.sleep(1)  # let the second message be processed too
    finally:
        worker.terminate()
        log = worker.communicate(timeout=30)[0]
    assert Notification.objects.filter(status=Status.SENT).count() == expected, log
    assert len(messages_sent(tmp_path)) == expected, log


@pytest.mark.django_db
def test_broker_down_keeps_the_app_working_and_loses_nothing(client, login, organizer, mailoutbox):
    """Redis down: queueing fails fast without an error page, and the rows wait for the sweep."""
    owner = UserFactory(role="leader")
    PersonFactory(user=owner)
    FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
    now = datetime.datetime(2026, 11, 27, 13, 0, tzinfo=datetime.UTC)
    reminders_sweep(now)
    # A Celery app of its own whose broker is down: the project's app is left untouched.
    dead_url = "redis://127.0.0.1:1/0"
    dead = Celery("conect-dead-broker", broker=dead_url, set_as_current=False)
    dead.conf.task_publish_retry_policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    dead.conf.broker_connection_timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT

    @dead.task(name="tests.dead_broker_probe")
    def task(ids):
        return ids

    started = time.monotonic()
    with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": dead_url}):
        queued = send(task, [1])
    took = time.monotonic() - started
    assert queued is False and took < 10
    assert login(client, organizer).get("/").status_code == 200
    assert Notification.objects.get().status == Status.PENDING
    assert notifications_deliver(now=now)["sent"] == 1  # the next sweep, once Redis is back
    assert len(mailoutbox) == 1

"""No lost work (issue 12): a large import queued while the task queue is down waits, says so,
and is checked and written exactly once when the beat's sweep queues it again."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import ImportJob, Person
from members.tasks import import_jobs_requeue_task

from .conftest import HEADER
from .test_import_views import upload

pytestmark = pytest.mark.django_db


def later(minutes):
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    return lambda: moment


def test_import_with_the_broker_down_is_requeued_and_runs_once(
    client,
    login,
    lead,
    congregation,
    monkeypatch,
    broker_down,
    caplog,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(services, "ASYNC_ROWS", 5)
    rows = "\n".join(f"P{i},Q{i},p{i}@x.org,,st-marks,,,,," for i in range(20))
    login(client, lead)
    with (
        caplog.at_level(logging.WARNING, logger="conect.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = upload(client, f"{HEADER}\n{rows}\n")
    assert response.status_code == 302
    assert "could not queue members.tasks.import_job_analyse_task" in caplog.text
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.ANALYSING and job.heartbeat_at is None
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-waiting"' in page and "queued again every few minutes" in page

    assert import_jobs_requeue_task.apply().get() == 0  # within the grace: nothing lost yet
    broker_down.restore()
    monkeypatch.setattr(timezone, "now", later(4))
    assert import_jobs_requeue_task.apply().get() == 1  # checked now, on the "worker"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.counts["new"] == 20
    monkeypatch.setattr(timezone, "now", later(0))

    broker_down.down()  # the queue goes down again before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and Person.objects.count() == 0
    broker_down.restore()

    monkeypatch.setattr(timezone, "now", later(4))
    assert import_jobs_requeue_task.apply().get() == 1
    assert import_jobs_requeue_task.apply().get() == 0  # done: nothing to queue again
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == 20


def importing_job(lead, heartbeat_at):
    return ImportJob.objects.create(
        created_by=lead,
        filename="big.csv",
        content=f"{HEADER}\nAna,Ruiz,,,st-marks,,,,,\n",
        status=ImportJob.Status.IMPORTING,
        total_rows=1,
        heartbeat_at=heartbeat_at,
    )


def test_a_step_held_by_a_live_worker_runs_once(lead, congregation):
    job = importing_job(lead, timezone.now())  # another worker took it a moment ago
    services.import_job_run(job=job)
    assert Person.objects.count() == 0
    assert services.import_jobs_requeue() == 0  # and its lease is fresh: not lost


def test_a_dead_workers_step_is_taken_over(lead, congregation):
    job = importing_job(lead, timezone.now() - services.LEASE - datetime.timedelta(seconds=1))
    assert services.import_jobs_requeue() == 1  # eager in tests: the step runs at once
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == 1

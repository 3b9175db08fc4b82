"""The browser import: upload → preview → confirm, and the Celery path for large files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conect import fragments
from members import services
from members.models import ImportJob, Person
from tests.factories import PersonFactory

from .conftest import HEADER

pytestmark = pytest.mark.django_db
START = reverse("members:import_start")


def upload(client, text, name="people.csv", encoding="utf-8", **data):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(START, {"file": file, **data})


def test_upload_preview_confirm(client, login, lead, congregation):
    login(client, lead)
    response = upload(
        client,
        "First Name,Last Name,Email Address,Mobile Phone,City,ZIP Code,Shoe size\n"
        "Ana,Ruiz,ana@x.org,860 555 0101,Hartford,06103,7\n"
        "Tom,Berg,tom@x.org,,Hartford,06103,9\n",
        congregation=congregation.pk,
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.PREVIEW and job.counts["new"] == 2
    assert Person.objects.count() == 0  # nothing written before confirming
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Confirm import" in body and 'data-testid="count-new">2<' in body
    assert "Columns not imported: Shoe size" in body
    assert "Ana Ruiz" in body and "Tom Berg" in body  # the first rows, named
    response = client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.content == ""
    assert "sample" not in job.counts  # no names kept once imported
    assert Person.objects.filter(memberships__congregation=congregation).count() == 2
    # Confirming twice does nothing more.
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert Person.objects.count() == 2


def test_invalid_rows_are_listed_and_cannot_be_confirmed(client, login, lead, congregation):
    login(client, lead)
    upload(client, f"{HEADER}\nAna,Ruiz,bad@,,st-marks,,,,,\nTom,,,,st-marks,,,ABC,,\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Line 2" in body and "Line 3" in body and "Confirm import" not in body
    assert client.post(reverse("members:import_confirm", args=[job.pk])).status_code == 302
    assert Person.objects.count() == 0


def test_windows_1252_upload(client, login, lead, congregation):
    login(client, lead)
    upload(
        client,
        "first_name,last_name\r\nJosé,Núñez\r\n",
        encoding="cp1252",
        congregation=congregation.pk,
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert Person.objects.get().last_name == "Núñez"


def test_bad_upload_shows_form_errors(client, login, lead):
    login(client, lead)
    response = upload(client, "x", name="people.xlsx")
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert client.post(START, {}).status_code == 200


def tasks_sent(callbacks) -> list:
    """The on-commit callbacks that queue a task (not conect.fragments' cache bump)."""
    return [c for c in callbacks if c is not fragments._flush]


def test_large_files_go_through_the_task_with_progress(
    client, login, lead, congregation, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "ASYNC_ROWS", 5)
    rows = "\n".join(f"P{i},Q{i},p{i}@x.org,,st-marks,,,,," for i in range(20))
    login(client, lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, f"{HEADER}\n{rows}\n")
    # analysed by the (eager) Celery task; the other callback is the fragments' commit-time bump
    assert len(tasks_sent(callbacks)) == 1
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW and job.processed_rows == 20
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("members:import_confirm", args=[job.pk]))
    assert len(tasks_sent(callbacks)) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == 20


def test_progress_fragment_polls_while_running(client, login, lead, congregation):
    job = ImportJob.objects.create(
        created_by=lead, filename="big.csv", content="x", total_rows=1000, processed_rows=250
    )
    response = login(client, lead).get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="250"' in body and "<html" not in body


def test_jobs_are_private_to_their_uploader(client, login, lead, lead_of, congregation):
    job = ImportJob.objects.create(
        created_by=lead_of(congregation),
        filename="a.csv",
        content="x",
        status=ImportJob.Status.PREVIEW,
    )
    login(client, lead)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("members:import_confirm", args=[job.pk])).status_code == 404


def test_methods_and_roles(client, login, lead, leader, congregation):
    login(client, lead)
    job = ImportJob.objects.create(created_by=lead, filename="a.csv", content="x")
    assert client.post(job.get_absolute_url()).status_code == 405
    assert client.get(reverse("members:import_confirm", args=[job.pk])).status_code == 405
    assert login(client, leader).get(START).status_code == 403


def test_template_download(client, login, lead):
    response = login(client, lead).get(reverse("members:import_template"))
    assert response.content.decode("utf-8-sig").startswith(HEADER)


def test_a_crash_while_checking_marks_the_job_failed(
    client, login, lead, congregation, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "plan_import", boom)
    login(client, lead)
    with pytest.raises(RuntimeError):
        upload(client, f"{HEADER}\nAna,Ruiz,a@x.org,,st-marks,,,,,\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not job.is_running
    body = client.get(job.get_absolute_url()).content.decode()
    assert "nothing was saved" in body and "hx-trigger" not in body


def test_unconfirmed_uploads_are_purged(lead, congregation, capsys):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    old = ImportJob.objects.create(
        created_by=lead,
        filename="a.csv",
        content="x",
        status=ImportJob.Status.PREVIEW,
        created_at=timezone.now() - datetime.timedelta(days=8),
    )
    fresh = ImportJob.objects.create(
        created_by=lead, filename="b.csv", content="y", status=ImportJob.Status.PREVIEW
    )
    call_command("purge_import_uploads")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.content == "" and old.status == ImportJob.Status.FAILED
    assert fresh.content == "y"
    assert "1 unconfirmed" in capsys.readouterr().out


def test_invalid_upload_is_not_kept(client, login, lead, congregation):
    login(client, lead)
    upload(client, f"{HEADER}\nAna,Ruiz,bad@,,st-marks,,,,,\n")
    assert ImportJob.objects.get().content == ""


def test_preview_lists_every_row_paged_with_links_only_in_scope(
    client, login, lead, congregation, other_congregation, django_assert_max_num_queries
):
    mine = PersonFactory(
        first_name="Ana", last_name="Ruiz", email="ana@x.org", congregation=congregation
    )
    theirs = PersonFactory(
        first_name="Tom", last_name="Berg", email="tom@x.org", congregation=other_congregation
    )
    rows = "".join(f"P{i},Q{i},p{i}@x.org\n" for i in range(120))
    login(client, lead)
    upload(
        client,
        f"first_name,last_name,email\nAna,Ruiz,ana@x.org\nTom,Berg,tom@x.org\n{rows}",
        congregation=congregation.pk,
    )
    job = ImportJob.objects.get()
    assert job.rows.count() == 122
    body = client.get(job.get_absolute_url()).content.decode()
    assert body.count('data-testid="import-row"') == 50 and "Page 1 of 3" in body
    assert f'href="/people/{mine.pk}/"' in body  # matched, linked
    assert f"/people/{theirs.pk}/" not in body  # outside scope: a new person, nothing revealed
    tom = job.rows.get(line=3)
    assert (tom.action, tom.person_id, tom.reason) == ("new", None, "")
    last = client.get(job.get_absolute_url() + "?page=3").content.decode()
    assert last.count('data-testid="import-row"') == 22
    with django_assert_max_num_queries(12):
        client.get(job.get_absolute_url() + "?page=2")
    matched = client.get(job.get_absolute_url() + "?show=matched").content.decode()
    assert matched.count('data-testid="import-row"') == 1
    assert client.get(job.get_absolute_url() + "?show=nope&page=zz").status_code == 200


def test_skip_invalid_imports_the_valid_rows_and_offers_the_rejected_ones(
    client, login, lead, congregation
):
    login(client, lead)
    upload(
        client,
        "first_name,last_name,email,phone\nAna,Ruiz,ana@x.org,\nTom,Berg,bad@,\nLee,Kim,,12345\n",
        congregation=congregation.pk,
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW and job.counts["invalid"] == 2
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Import the valid rows, skip the rejected ones" in body and "Line 3" in body
    # All or nothing unless asked: a plain confirm writes nothing.
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert Person.objects.count() == 0
    client.post(reverse("members:import_confirm", args=[job.pk]), {"skip_invalid": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.content == ""
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Ana"]
    assert set(job.rows.values_list("action", flat=True)) == {"error"}  # no names kept
    response = client.get(reverse("members:import_rejected", args=[job.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "first_name,last_name,email,phone,reason"
    assert lines[1].startswith("Tom,Berg,bad@,,") and "not an email" in lines[1]
    assert lines[2].startswith("Lee,Kim,,12345,") and len(lines) == 3


def test_rejected_rows_are_private_anonymous_and_get_only(
    client, login, lead, lead_of, other_congregation
):
    job = ImportJob.objects.create(created_by=lead_of(other_congregation), filename="a.csv")
    url = reverse("members:import_rejected", args=[job.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    login(client, lead)
    assert client.get(url).status_code == 404
    own = ImportJob.objects.create(created_by=lead, filename="b.csv")
    assert client.post(reverse("members:import_rejected", args=[own.pk])).status_code == 405


def test_bom_windows_1252_and_a_close_congregation_spelling(client, login, lead, congregation):
    login(client, lead)
    data = "\ufefffirst_name,last_name,congregation\r\nJosé,Núñez,St Marks AME\r\n"
    file = SimpleUploadedFile("p.csv", b"\xef\xbb\xbf" + data[1:].encode("cp1252"))
    client.post(START, {"file": file})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    row = job.rows.get()
    assert row.name == "José Núñez" and "St. Mark's AME Church" in row.detail


def test_unknown_congregation_gets_a_suggestion_among_the_importers(
    client, login, lead, congregation, other_congregation
):
    login(client, lead)
    upload(client, "first_name,congregation\nAna,St Mark AME Chrch\nTom,Temple Sinai\n")
    job = ImportJob.objects.get()
    errors = dict(job.rows.values_list("line", "detail"))
    assert "did you mean “St. Mark's AME Church”" in errors[2]
    assert "Temple Sinai" in errors[3] and "did you mean" not in errors[3]  # not theirs

"""What the API hears from the apps below it (it sits above them, so it listens; they never
call it). post_save / post_delete of people, attendance and commitments become webhook changes;
saves of actions, attendance and tags date their API identity; a merge moves identifiers.

Door check-ins write with bulk operations that send no post_save: actions sends
`attendance_changed` for them. Bulk imports are not announced person by person."""

from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

from actions.models import Action, Attendance
from actions.signals import attendance_changed
from campaigns.models import Commitment
from members.models import Person, Tag
from members.signals import person_merged

from . import services, webhooks


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    if sender in (Attendance,):
        services.identity_touch(model=sender, pk=instance.pk)
    webhooks.change_record(obj=instance)


def _deleted(sender, instance, **kwargs):
    webhooks.change_record(obj=instance, deleted=True)
    services.identity_forget(model=sender, pk=instance.pk)


def _touched(sender, instance, raw=False, **kwargs):
    if not raw:
        services.identity_touch(model=sender, pk=instance.pk)


def _forgotten(sender, instance, **kwargs):
    services.identity_forget(model=sender, pk=instance.pk)


def _checked_in(sender, attendance_ids, **kwargs):
    for row in Attendance.objects.filter(pk__in=attendance_ids):
        services.identity_touch(model=Attendance, pk=row.pk)
        webhooks.change_record(obj=row)


def _merged(sender, survivor, duplicate_id, **kwargs):
    services.identity_merge(survivor_id=survivor.pk, duplicate_id=duplicate_id)


def _wiring():
    """(signal, receiver, sender, dispatch_uid) of every receiver this module connects."""
    for model in (Person, Attendance, Commitment):
        uid = f"api-{model._meta.label_lower}"
        yield post_save, _changed, model, f"{uid}-saved"
        yield post_delete, _deleted, model, f"{uid}-deleted"
    for dated in (Action, Tag):
        uid = f"api-{dated._meta.label_lower}"
        yield post_save, _touched, dated, f"{uid}-touched"
        yield post_delete, _forgotten, dated, f"{uid}-forgotten"
    yield attendance_changed, _checked_in, None, "api-attendance-changed"
    yield person_merged, _merged, Person, "api-person-merged"


def connect() -> None:
    for signal, receiver, sender, uid in _wiring():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect() -> None:
    for signal, _receiver, sender, uid in _wiring():
        signal.disconnect(sender=sender, dispatch_uid=uid)


@contextmanager
def quiet():
    """No webhook changes or identity rows while the demo network is wiped: `seed_demo --reset`
    deleting tens of thousands of demo rows is nobody's news, and with a receiver listening
    Django deletes (and announces) them one row at a time."""
    disconnect()
    try:
        yield
    finally:
        connect()

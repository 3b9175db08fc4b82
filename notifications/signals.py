"""Keep claim keys true when the directory merges two people."""

from .models import Notification


def rekey_after_merge(sender, *, survivor, duplicate_id, **kwargs) -> int:
    """A merged person's notifications now belong to the survivor: give them the survivor's
    recipient key, so a reminder the duplicate already got is never claimed (and sent) again.
    A row the survivor already has under the same key keeps the old key: it was sent once."""
    old, new = f"person:{duplicate_id}", f"person:{survivor.pk}"
    taken = set(
        Notification.objects.filter(recipient_key=new).values_list(
            "kind", "subject_key", "for_date"
        )
    )
    movable = [
        pk
        for pk, kind, subject, day in Notification.objects.filter(recipient_key=old).values_list(
            "pk", "kind", "subject_key", "for_date"
        )
        if (kind, subject, day) not in taken
    ]
    return Notification.objects.filter(pk__in=movable).update(
        recipient_key=new, recipient_person=survivor
    )

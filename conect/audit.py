"""The audit log's door on the ground floor.

The log itself (`members.AuditEvent`, written by `members.services.audit_log`) lives a floor up;
members hands its writer down in `AppConfig.ready()`, so the admin pieces here and the apps below
members (the dues ledger) record through the same function, with the same who, when and from
which address.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

# What the admin and the floors below members record (members.AuditEvent.Action names them).
ADMIN_VIEW = "admin_view"
ADMIN_LIST = "admin_list"
ADMIN_ADD = "admin_add"
ADMIN_CHANGE = "admin_change"
ADMIN_DELETE = "admin_delete"
EXPORT = "export"

_writer: Callable[..., Any] | None = None


def register(writer: Callable[..., Any]) -> None:
    """Called once by members at start-up with members.services.audit_log."""
    global _writer
    _writer = writer


def about(record: models.Model | type[models.Model]) -> dict[str, Any]:
    """The audit row's pointer to a record (or, for a list, to its kind of record)."""
    if isinstance(record, type):
        return {"object_type": record._meta.label_lower, "object_id": None}
    return {"object_type": record._meta.label_lower, "object_id": record.pk}


def record(*, by, action: str, person_id: int | None = None, **detail) -> Any:
    """One row in the audit log (see members.services.audit_log)."""
    if _writer is None:
        raise ImproperlyConfigured("nothing writes the audit log: is members installed?")
    return _writer(by=by, action=action, person_id=person_id, **detail)

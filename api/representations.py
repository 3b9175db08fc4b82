"""What CONECT's objects look like in OSDI / Action Network v2 (HAL+JSON).

person ↔ members.Person, tag ↔ members.Tag, tagging ↔ a person's tag, event ↔ actions.Action,
attendance ↔ actions.Attendance (an RSVP, and a check-in).

What never leaves through here: private notes, ethnicity (demographics), one-on-one stories, and a
do-not-contact person's email, phone and address. The serializers in serializers.py describe
these shapes for the OpenAPI schema; tests check the two agree.
"""

import datetime
from typing import Any

from actions.models import Action, Attendance, Rsvp
from members.models import Person, Tag

from .models import ApiIdentity

RSVP_STATUS: dict[str, str] = {
    Rsvp.YES: "accepted",
    Rsvp.WALK_IN: "accepted",
    Rsvp.MAYBE: "tentative",
    Rsvp.NO: "declined",
    Rsvp.INVITED: "needs action",
}
STATUS_RSVP: dict[str, str] = {"accepted": Rsvp.YES, "tentative": Rsvp.MAYBE, "declined": Rsvp.NO}


def iso(moment: datetime.datetime | None) -> str | None:
    """UTC, to the second, with a Z: how Action Network writes its dates."""
    if moment is None:
        return None
    # isoformat, not strftime: strftime writes the year 482 as "482", not RFC 3339's "0482".
    utc = moment.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
    return utc.isoformat() + "Z"


class Links:
    """Absolute hrefs under the API root (`https://host/api/v2`), without trailing slashes, as
    Action Network writes them."""

    def __init__(self, root: str):
        self.root = root.rstrip("/")

    def href(self, *parts) -> dict[str, str]:
        return {"href": "/".join([self.root, *(str(part) for part in parts)])}


def person(p: Person, identity: ApiIdentity, links: Links) -> dict[str, Any]:
    memberships = getattr(p, "primary_memberships", None) or []
    congregation = memberships[0].congregation.slug if memberships else ""
    contact = not p.do_not_contact
    postal = []
    if contact and (p.street or p.town or p.zip):
        postal.append(
            {
                "primary": True,
                "address_lines": [p.street] if p.street else [],
                "locality": p.town,
                "postal_code": p.zip,
                "country": "US",
            }
        )
    return {
        "identifiers": identity.identifiers,
        "created_date": iso(p.created_at),
        "modified_date": iso(p.updated_at),
        "given_name": p.first_name,
        "family_name": p.last_name,
        "languages_spoken": [p.language],
        "email_addresses": (
            [
                {
                    "primary": True,
                    "address": p.email,
                    "status": "subscribed" if p.email_ok else "unsubscribed",
                }
            ]
            if contact and p.email
            else []
        ),
        "phone_numbers": (
            [
                {
                    "primary": True,
                    "number": p.phone.lstrip("+"),
                    "status": "subscribed" if p.sms_ok else "unsubscribed",
                }
            ]
            if contact and p.phone
            else []
        ),
        "postal_addresses": postal,
        "custom_fields": {
            "congregation": congregation,
            "ladder_level": p.level,
            "do_not_contact": "true" if p.do_not_contact else "false",
        },
        "_links": {
            "self": links.href("people", identity.uuid),
            "osdi:attendances": links.href("people", identity.uuid, "attendances"),
        },
    }


def tag(t: Tag, identity: ApiIdentity, links: Links) -> dict[str, Any]:
    return {
        "identifiers": identity.identifiers,
        "created_date": iso(identity.created_at),
        "modified_date": iso(identity.touched_at or identity.created_at),
        "name": t.name,
        "_links": {
            "self": links.href("tags", identity.uuid),
            "osdi:taggings": links.href("tags", identity.uuid, "taggings"),
        },
    }


def tagging(
    identity: ApiIdentity, tag_identity: ApiIdentity, person_identity: ApiIdentity, links: Links
) -> dict[str, Any]:
    return {
        "identifiers": identity.identifiers,
        "created_date": iso(identity.created_at),
        "modified_date": iso(identity.created_at),
        "item_type": "osdi:person",
        "_links": {
            "self": links.href("tags", tag_identity.uuid, "taggings", identity.uuid),
            "osdi:tag": links.href("tags", tag_identity.uuid),
            "osdi:person": links.href("people", person_identity.uuid),
        },
    }


def event(a: Action, identity: ApiIdentity, links: Links, *, accepted: int) -> dict[str, Any]:
    modified = max(filter(None, [a.created_at, identity.touched_at]))
    return {
        "identifiers": identity.identifiers,
        "created_date": iso(a.created_at),
        "modified_date": iso(modified),
        "title": a.title,
        "name": a.title,
        "description": a.agenda,
        "start_date": iso(a.starts_at),
        "end_date": iso(a.ends_at),
        "status": "confirmed",
        "action_kind": a.kind,
        "location": {"venue": a.place},
        "total_accepted": accepted,
        "_links": {
            "self": links.href("events", identity.uuid),
            "osdi:attendances": links.href("events", identity.uuid, "attendances"),
        },
    }


def attendance(
    row: Attendance,
    identity: ApiIdentity,
    event_identity: ApiIdentity,
    person_identity: ApiIdentity,
    links: Links,
) -> dict[str, Any]:
    moments = [row.invited_at, row.checked_in_at, identity.touched_at]
    known = [moment for moment in moments if moment is not None]
    created = min([m for m in (row.invited_at, row.checked_in_at) if m] or [identity.created_at])
    return {
        "identifiers": identity.identifiers,
        "created_date": iso(created),
        "modified_date": iso(max(known) if known else identity.created_at),
        "status": RSVP_STATUS.get(row.rsvp, "needs action"),
        "attended": row.checked_in_at is not None,
        "_links": {
            "self": links.href("events", event_identity.uuid, "attendances", identity.uuid),
            "osdi:event": links.href("events", event_identity.uuid),
            "osdi:person": links.href("people", person_identity.uuid),
        },
    }

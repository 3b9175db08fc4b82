"""The OSDI shapes for the OpenAPI schema, and the validation of what clients send.

Output is built by representations.py; the serializers named `*Out` describe it for the schema
(schemathesis checks every response against them). The `*In` serializers validate request
bodies and turn them into the services' terms.
"""

from rest_framework import serializers

from actions.models import ActionKind

from .representations import STATUS_RSVP
from .services import Signup

EMAIL_STATUSES = [
    "subscribed",
    "unsubscribed",
    "bouncing",
    "previous bounce",
    "spam complaint",
    "previous spam complaint",
]
CONSENT_STATUSES = ["subscribed", "unsubscribed"]
EVENT_STATUSES = ["confirmed"]
ATTENDANCE_STATUSES = ["accepted", "tentative", "declined", "needs action"]


def _shape(name: str, fields: dict) -> type[serializers.Serializer]:
    """A serializer class whose field names may be HAL's (`_links`, `osdi:people`)."""
    return type(name, (serializers.Serializer,), fields)


class LinkOut(serializers.Serializer):
    href = serializers.CharField()


def _links(name: str, *required: str, optional: tuple[str, ...] = ()) -> serializers.Serializer:
    fields = {key: LinkOut() for key in required}
    fields.update({key: LinkOut(required=False) for key in optional})
    return _shape(name, fields)()


class NoticeOut(serializers.Serializer):
    notice = serializers.CharField()


class ErrorOut(serializers.Serializer):
    error = serializers.CharField()
    errors = serializers.JSONField(required=False)


# --- Output shapes -----------------------------------------------------------------------------


class EmailAddressOut(serializers.Serializer):
    primary = serializers.BooleanField()
    address = serializers.CharField()
    status = serializers.ChoiceField(choices=CONSENT_STATUSES)


class PhoneNumberOut(serializers.Serializer):
    primary = serializers.BooleanField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=CONSENT_STATUSES)


class PostalAddressOut(serializers.Serializer):
    primary = serializers.BooleanField()
    address_lines = serializers.ListField(child=serializers.CharField())
    locality = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField()


class PersonCustomFieldsOut(serializers.Serializer):
    congregation = serializers.CharField(allow_blank=True, help_text="primary congregation slug")
    ladder_level = serializers.CharField()
    do_not_contact = serializers.ChoiceField(choices=["true", "false"])


class _Dated(serializers.Serializer):
    identifiers = serializers.ListField(
        child=serializers.CharField(), help_text='"conect:<uuid>" first, then foreign ones'
    )
    created_date = serializers.DateTimeField()
    modified_date = serializers.DateTimeField()


class PersonOut(_Dated):
    given_name = serializers.CharField(allow_blank=True)
    family_name = serializers.CharField(allow_blank=True)
    languages_spoken = serializers.ListField(child=serializers.CharField())
    email_addresses = EmailAddressOut(many=True)
    phone_numbers = PhoneNumberOut(many=True)
    postal_addresses = PostalAddressOut(many=True)
    custom_fields = PersonCustomFieldsOut()


PersonOut._declared_fields["_links"] = _links("PersonLinks", "self", "osdi:attendances")


class TagOut(_Dated):
    name = serializers.CharField()


TagOut._declared_fields["_links"] = _links("TagLinks", "self", "osdi:taggings")


class TaggingOut(_Dated):
    item_type = serializers.CharField()


TaggingOut._declared_fields["_links"] = _links("TaggingLinks", "self", "osdi:tag", "osdi:person")


class LocationOut(serializers.Serializer):
    venue = serializers.CharField(allow_blank=True)


class EventOut(_Dated):
    title = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=EVENT_STATUSES)
    action_kind = serializers.ChoiceField(choices=ActionKind.choices)
    location = LocationOut()
    total_accepted = serializers.IntegerField(min_value=0)


EventOut._declared_fields["_links"] = _links("EventLinks", "self", "osdi:attendances")


class AttendanceOut(_Dated):
    status = serializers.ChoiceField(choices=ATTENDANCE_STATUSES)
    attended = serializers.BooleanField()


AttendanceOut._declared_fields["_links"] = _links(
    "AttendanceLinks", "self", "osdi:event", "osdi:person"
)


def collection_out(name: str, key: str, item: type[serializers.Serializer]):
    """A page of a collection, as Action Network v2 sends it."""
    return _shape(
        f"{name}Page",
        {
            "total_pages": serializers.IntegerField(min_value=0),
            "per_page": serializers.IntegerField(min_value=1),
            "page": serializers.IntegerField(min_value=1),
            "total_records": serializers.IntegerField(min_value=0),
            "_links": _links(f"{name}PageLinks", "self", optional=("next", "previous")),
            "_embedded": _shape(f"{name}Embedded", {key: item(many=True)})(),
        },
    )


PeoplePage = collection_out("People", "osdi:people", PersonOut)
TagsPage = collection_out("Tags", "osdi:tags", TagOut)
TaggingsPage = collection_out("Taggings", "osdi:taggings", TaggingOut)
EventsPage = collection_out("Events", "osdi:events", EventOut)
AttendancesPage = collection_out("Attendances", "osdi:attendances", AttendanceOut)

EntryPointOut = _shape(
    "EntryPoint",
    {
        "motd": serializers.CharField(),
        "vendor_name": serializers.CharField(),
        "product_name": serializers.CharField(),
        "osdi_version": serializers.CharField(),
        "max_pagesize": serializers.IntegerField(),
        "_links": _links(
            "EntryPointLinks",
            "self",
            "osdi:people",
            "osdi:tags",
            "osdi:events",
            "osdi:person_signup_helper",
            "docs",
        ),
    },
)


# --- Input -------------------------------------------------------------------------------------


def _text(max_length: int, **extra) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **extra)


def _identifiers() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=20,
        help_text='identifiers from another system, "system:id"; kept and given back',
    )


class EmailAddressIn(serializers.Serializer):
    address = serializers.CharField(max_length=254)
    primary = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=EMAIL_STATUSES, required=False)


class PhoneNumberIn(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    primary = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=CONSENT_STATUSES, required=False)
    number_type = _text(20)


class PostalAddressIn(serializers.Serializer):
    address_lines = serializers.ListField(child=_text(200), required=False, max_length=3)
    locality = _text(100)
    region = _text(50)
    postal_code = _text(10)
    country = _text(50)
    primary = serializers.BooleanField(required=False)


class PersonIn(serializers.Serializer):
    given_name = _text(100)
    family_name = _text(100)
    email_addresses = EmailAddressIn(many=True, required=False, max_length=5)
    phone_numbers = PhoneNumberIn(many=True, required=False, max_length=5)
    postal_addresses = PostalAddressIn(many=True, required=False, max_length=5)
    languages_spoken = serializers.ListField(child=_text(20), required=False, max_length=5)
    custom_fields = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        help_text="congregation: the slug of the person's congregation (required when the "
        "token's user works with more than one); other fields are ignored",
    )
    identifiers = _identifiers()

    def validate(self, attrs):
        if not (attrs.get("email_addresses") or attrs.get("phone_numbers")):
            raise serializers.ValidationError("Give an email address or a phone number.")
        return attrs


class PersonSignupIn(serializers.Serializer):
    person = PersonIn()
    add_tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)


def _primary(items: list[dict]) -> dict:
    return next((item for item in items if item.get("primary")), items[0]) if items else {}


def signup_from(data: dict) -> Signup:
    """The validated OSDI person (and add_tags) in the signup service's terms."""
    person = data["person"]
    email = _primary(person.get("email_addresses", []))
    phone = _primary(person.get("phone_numbers", []))
    postal = _primary(person.get("postal_addresses", []))
    languages = person.get("languages_spoken") or [""]
    email_status, phone_status = email.get("status"), phone.get("status")
    return Signup(
        first_name=person.get("given_name", ""),
        last_name=person.get("family_name", ""),
        email=email.get("address", ""),
        phone=phone.get("number", ""),
        street=" ".join(line for line in postal.get("address_lines", []) if line),
        town=postal.get("locality", ""),
        zip=postal.get("postal_code", ""),
        language=languages[0],
        congregation=person.get("custom_fields", {}).get("congregation", ""),
        email_ok=None if email_status is None else email_status == "subscribed",
        sms_ok=None if phone_status is None else phone_status == "subscribed",
        add_tags=data.get("add_tags", []),
        identifiers=person.get("identifiers", []),
    )


class TagIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class PersonLinkIn(serializers.Serializer):
    href = serializers.CharField(max_length=500, help_text="…/api/v2/people/<uuid>")


PersonLinksIn = _shape("PersonLinksIn", {"osdi:person": PersonLinkIn()})


class TaggingIn(serializers.Serializer):
    identifiers = _identifiers()


TaggingIn._declared_fields["_links"] = PersonLinksIn()


class LocationIn(serializers.Serializer):
    venue = _text(200)
    address_lines = serializers.ListField(child=_text(200), required=False, max_length=3)
    locality = _text(100)
    region = _text(50)
    postal_code = _text(10)
    country = _text(50)

    def place(self, data: dict) -> str:
        parts = [data.get("venue", ""), *data.get("address_lines", [])]
        town = " ".join(p for p in (data.get("region", ""), data.get("postal_code", "")) if p)
        parts += [data.get("locality", ""), town]
        return ", ".join(part.strip() for part in parts if part.strip())[:200]


class EventIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    start_date = serializers.DateTimeField(
        help_text="ISO 8601; a time without a zone is Connecticut's (America/New_York)"
    )
    end_date = serializers.DateTimeField(
        required=False, help_text="two hours after start if absent"
    )
    location = LocationIn()
    description = _text(5000)
    status = serializers.ChoiceField(choices=EVENT_STATUSES, required=False)
    action_kind = serializers.ChoiceField(choices=ActionKind.choices, required=False)
    identifiers = _identifiers()

    def validate_location(self, value):
        if not LocationIn().place(value):
            raise serializers.ValidationError("Say where: location.venue or an address.")
        return value

    def validate(self, attrs):
        end = attrs.get("end_date")
        if end is not None and end < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": "An event cannot end before it starts."})
        return attrs


class AttendanceIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(STATUS_RSVP), required=False)
    person = PersonIn(required=False, help_text="someone to find or add, as the signup helper")
    identifiers = _identifiers()


AttendanceIn._declared_fields["_links"] = _shape(
    "AttendanceLinksIn", {"osdi:person": PersonLinkIn()}
)(required=False)

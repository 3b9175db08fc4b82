"""The API's own tables: tokens, the stable names it gives other apps' objects, and webhooks.

The other apps stay untouched: an object's OSDI identity (a uuid and the identifiers other
systems gave it) lives here, keyed by (content type, object id), so no app below needs a uuid
column or a migration for the API.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored: the token itself is shown once,
    when it is made. A token acts as its user, with the user's role and scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("starts with"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiIdentity(models.Model):
    """The API's stable name for one object of another app: `conect:<uuid>`, plus the
    identifiers other systems sent for it (kept and given back, as OSDI asks).

    Rows are made the first time the API shows an object (objects bulk-inserted by imports and
    seed_demo have none until then). `touched_at` is when the object last changed, for objects
    that keep no modification time of their own (actions, attendance, tags)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    foreign_identifiers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    touched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API identity")
        verbose_name_plural = _("API identities")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="api_identity_one_per_object"
            )
        ]

    def __str__(self):
        return f"conect:{self.uuid}"

    @property
    def identifiers(self) -> list[str]:
        return [f"conect:{self.uuid}", *self.foreign_identifiers]


class Topic(models.TextChoices):
    PERSON = "person", _("Person")
    ATTENDANCE = "attendance", _("Attendance")
    COMMITMENT = "commitment", _("Commitment")


def _new_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """A URL that receives signed JSON when a person, an attendance or a commitment changes.
    Staff (the admin role) configure them in the Django admin."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=_new_secret,
        help_text=_("Shared with the receiver: it checks the X-Conect-Signature header with it."),
    )
    sends_people = models.BooleanField(_("people"), default=True)
    sends_attendance = models.BooleanField(_("attendance"), default=True)
    sends_commitments = models.BooleanField(_("commitments"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    TOPIC_FIELDS: dict[str, str] = {
        Topic.PERSON: "sends_people",
        Topic.ATTENDANCE: "sends_attendance",
        Topic.COMMITMENT: "sends_commitments",
    }

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "id"]

    def __str__(self):
        return self.description or self.url


class WebhookChange(models.Model):
    """One change to announce. Its id is the change id receivers see (X-Conect-Change-Id); the
    payload is the object as it was at the change, built once so every retry sends the same
    bytes."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("Created or changed")
        DELETED = "deleted", _("Deleted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_uuid = models.UUIDField(_("object"))
    payload = models.JSONField(_("payload"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook change")
        verbose_name_plural = _("webhook changes")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["occurred_at"], name="webhook_change_when_idx")]

    def __str__(self):
        return f"{self.topic}.{self.kind} {self.object_uuid}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One change for one endpoint: unique, so a change reaches an endpoint once whatever
    retries, duplicate tasks or sweeps do. A delivery takes a lease before it sends."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    change = models.ForeignKey(
        WebhookChange, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("change")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "change"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")
        ]

    def __str__(self):
        return f"{self.change} → {self.endpoint}"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FOLLOWUP_DUE = "followup_due", _("Follow-up due")
    FOLLOWUP_OVERDUE = "followup_overdue", _("Follow-up overdue (to the organizer)")
    ACTION_RSVP = "action_rsvp", _("Action reminder to people who RSVP'd")
    ACTION_PLEDGE = "action_pledge", _("Action pledge check to congregation leads")
    EVALUATION_DUE = "evaluation_due", _("Evaluation due")
    COMMITMENT_DUE = "commitment_due", _("Commitment due or overdue")
    LEADER_COMMITMENT_DUE = "leader_commitment_due", _("A leader's own commitment coming due")
    DUES_STATEMENT = "dues_statement", _("Dues statement")
    DUES_OVERDUE = "dues_overdue", _("Dues overdue")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    IN_APP = "in_app", _("In the app only")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one recipient. The row is claimed (inserted) before anything is sent: its
    unique key (kind, subject, recipient, for_date) means a second sweep, a retried task or a
    second beat finds it already there and sends nothing."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    subject_key = models.CharField(_("about"), max_length=80)  # e.g. "followup:42"
    recipient_key = models.CharField(max_length=40)  # "user:7" or "person:9": the unique part
    # No index of its own: notif_inbox_idx starts with it, and a sweep inserting 100,000 rows
    # kept both up to date (bench/README.md).
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="notifications",
        verbose_name=_("recipient login"),
    )
    recipient_person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient person"),
    )
    for_date = models.DateField(_("for"))
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Empty until a failed attempt schedules the next one: a fresh row is deliverable at once.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A delivery takes a lease before it sends; a lease that ran out (a killed worker) is retried.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient_key", "for_date"],
                name="notification_once",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False)
                | models.Q(recipient_person__isnull=False),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient_user", "read_at", "-created_at"], name="notif_inbox_idx"
            ),
            models.Index(fields=["status", "next_attempt_at"], name="notif_queue_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_key} ({self.for_date})"


class Preference(models.Model):
    """A user's choice to get a kind of notification by email (it always shows in the app)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {'email' if self.email else 'app'}"

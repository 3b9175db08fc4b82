"""Actions: public actions, assemblies, trainings; turnout pledges, attendance and evaluation."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.config import conect_setting


class ActionKind(models.TextChoices):
    PUBLIC_ACTION = "public_action", _("Public action")
    ACCOUNTABILITY = "accountability", _("Accountability session")
    ASSEMBLY = "assembly", _("Assembly")
    TRAINING = "training", _("Training")
    RESEARCH = "research", _("Research action")
    REGISTRATION_DRIVE = "registration_drive", _("Voter registration drive")


class Action(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("campaign"),
    )
    congregations = models.ManyToManyField(
        "congregations.Congregation",
        blank=True,
        related_name="actions",
        verbose_name=_("participating congregations"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    turnout_goal = models.PositiveIntegerField(_("turnout goal"), default=0)
    agenda = models.TextField(_("agenda"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["starts_at", "id"]
        # Both columns: "upcoming" (ends_at ≥ now, starts_at ≤ in 60 days, by starts_at) is
        # then checked inside the index, instead of fetching every past action to discard it
        # (5,735 at 1,000,000 people: the next action's query 5.4 → 2.9 ms).
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="action_starts_ends_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="action_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def check_in_opens_at(self) -> datetime.datetime:
        minutes = conect_setting("CHECK_IN_OPENS_MINUTES_BEFORE")
        return self.starts_at - datetime.timedelta(minutes=minutes)

    @property
    def check_in_closes_at(self) -> datetime.datetime:
        return self.ends_at + datetime.timedelta(
            hours=conect_setting("CHECK_IN_CLOSES_HOURS_AFTER")
        )

    def door_state(self, now: datetime.datetime | None = None) -> str:
        """ "early", "open" or "closed": door check-in happens only while the action does."""
        now = now or timezone.now()
        if now < self.check_in_opens_at:
            return "early"
        return "open" if now <= self.check_in_closes_at else "closed"

    @property
    def formal_evaluation_window(self) -> tuple[datetime.date, datetime.date]:
        """The formal evaluation is due 7–10 days after the action."""
        ended = timezone.localdate(self.ends_at)
        return ended + datetime.timedelta(days=7), ended + datetime.timedelta(days=10)


class TurnoutPledge(models.Model):
    """A congregation's promise of how many people it will bring: one per action × congregation."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("action")
    )
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.CASCADE,
        related_name="turnout_pledges",
        verbose_name=_("congregation"),
    )
    pledged = models.PositiveIntegerField(_("pledged"))
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pledged by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("turnout pledge")
        verbose_name_plural = _("turnout pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "congregation"], name="pledge_one_per_congregation"
            )
        ]
        indexes = [models.Index(fields=["congregation", "action"], name="pledge_congregation_idx")]

    def __str__(self):
        return f"{self.congregation} · {self.action}: {self.pledged}"


class Rsvp(models.TextChoices):
    INVITED = "invited", _("Invited")
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")
    WALK_IN = "walk_in", _("Walk-in")


class Attendance(models.Model):
    """One person at one action: invited, RSVP'd, checked in at the door. One row per pair."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("action")
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("person"),
    )
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("congregation credited"),
    )
    rsvp = models.CharField(_("RSVP"), max_length=20, choices=Rsvp.choices, default=Rsvp.INVITED)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    # Not checked in at the door: a lead or organizer recorded it afterwards (audited).
    recorded_after = models.BooleanField(_("recorded after the fact"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="attendance_one_per_person")
        ]
        indexes = [
            models.Index(fields=["action", "congregation"], name="attendance_action_cong_idx"),
            models.Index(fields=["person", "checked_in_at"], name="attendance_person_idx"),
            # The lead's call list: an action's unanswered invitations per congregation, oldest
            # first, without reading the people (selectors.call_list).
            models.Index(
                fields=["action", "congregation", "id"],
                name="attendance_invited_idx",
                condition=models.Q(rsvp="invited"),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.action}"


class EvaluationKind(models.TextChoices):
    GROUP = "group", _("Group evaluation")
    INDIVIDUAL = "individual", _("Individual evaluation")
    FORMAL = "formal", _("Formal evaluation")


class Evaluation(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("action")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    held_on = models.DateField(_("held on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    turnout = models.PositiveIntegerField(_("turnout"), default=0)
    turnout_goal = models.PositiveIntegerField(_("turnout goal"), default=0)
    asks_answered = models.TextField(_("asks answered"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_to_change = models.TextField(_("what to change"), blank=True)
    standouts = models.ManyToManyField(
        "members.Person",
        blank=True,
        related_name="standout_evaluations",
        verbose_name=_("leaders who stood out"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Group evaluations: when the return to relationships ran for the action. Empty means its
    # task was lost or has not run yet; the beat's sweep finds it (actions.tasks).
    followups_done_at = models.DateTimeField(_("follow-ups created at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(kind="group"),
                name="evaluation_one_group_per_action",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.action}"


class ActionFollowUp(models.Model):
    """Return to relationships: which attendee got a follow-up from which action (once each)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="followups", verbose_name=_("action")
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    followup_id = models.PositiveBigIntegerField(_("follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("action follow-up")
        verbose_name_plural = _("action follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="action_followup_once")
        ]

    def __str__(self):
        return f"{self.person} · {self.action}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's secret calendar subscription URL. Rotating the token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


# --- Civic participation, non-partisan (docs/values.md) --------------------------------------


class Election(models.Model):
    """An election people pledge to vote in ("Hartford municipal 2027"): a name and a day.
    Never a candidate, a party or a ballot question's side."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    held_on = models.DateField(_("election day"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "name"]

    def __str__(self):
        return self.name


class RegistrationDriveResult(models.Model):
    """What a voter registration drive (an action of that kind) did: counts, no names."""

    action = models.OneToOneField(
        Action,
        on_delete=models.CASCADE,
        related_name="registration_result",
        verbose_name=_("action"),
    )
    forms_registered = models.PositiveIntegerField(_("registration forms completed"))
    people_helped = models.PositiveIntegerField(
        _("people helped"),
        help_text=_("Checked their status, moved their address, found their polling place…"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration drive result")
        verbose_name_plural = _("registration drive results")

    def __str__(self):
        return f"{self.action}: {self.forms_registered}"


class PledgeCard(models.Model):
    """A person's pledge to vote in an election, collected at an action. One per person and
    election; later confirmed (they say they voted), never how."""

    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="pledge_cards", verbose_name=_("election")
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledge_cards",
        verbose_name=_("collected at"),
    )
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("congregation"),
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collected by"),
    )
    collected_at = models.DateTimeField(_("collected at (time)"), default=timezone.now)
    voted_confirmed_at = models.DateTimeField(_("confirmed voted at"), null=True, blank=True)
    voted_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        verbose_name = _("pledge-to-vote card")
        verbose_name_plural = _("pledge-to-vote cards")
        ordering = ["-collected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="pledge_card_once")
        ]
        indexes = [models.Index(fields=["election", "congregation"], name="pledge_card_list_idx")]

    def __str__(self):
        return f"{self.person_id} · {self.election}"

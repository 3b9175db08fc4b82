"""Issues, campaigns and the cycle of organizing; research actions; targets and their commitments.

CONECT is non-partisan: a Target is an office-holder or decision-maker, never a party or candidate.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The cycle of organizing, in order. After evaluate comes relate again: a cycle, not an end."""

    RELATE = "relate", _("Relate")
    LISTEN = "listen", _("Listen")
    RESEARCH = "research", _("Research")
    ACT = "act", _("Act")
    EVALUATE = "evaluate", _("Evaluate")

    @classmethod
    def next_after(cls, stage: str) -> "Stage":
        order = list(cls)
        return order[(order.index(cls(stage)) + 1) % len(order)]


class Issue(models.Model):
    """A problem area that came out of listening (one-on-ones, house meetings)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The listening roll-up's "issue heard" this came from. A soft link (id + label) so this app
    # does not depend on the relationships app's migrations; the label keeps what was heard.
    heard_from_id = models.PositiveIntegerField(_("issue heard (id)"), null=True, blank=True)
    heard_from_label = models.CharField(_("issue heard"), max_length=120, blank=True)
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
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=160)
    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("issue")
    )
    goal = models.TextField(
        _("goal"), help_text=_("The win: what will be different, and for whom.")
    )
    congregations = models.ManyToManyField(
        "congregations.Congregation",
        blank=True,
        related_name="campaigns",
        verbose_name=_("participating congregations"),
    )
    lead_organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_campaigns",
        verbose_name=_("lead organizer"),
    )
    leaders = models.ManyToManyField(
        "members.Person",
        blank=True,
        related_name="campaign_teams",
        verbose_name=_("leaders' team"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.RELATE)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["stage"], name="campaign_stage_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def next_stage(self) -> Stage:
        return Stage.next_after(self.stage)


class CampaignStageChange(models.Model):
    """One step around the cycle: history, never edited."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="stage_history", verbose_name=_("campaign")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-changed_at"], name="stage_change_campaign_idx")
        ]

    def __str__(self):
        return f"{self.campaign}: {self.from_stage or '—'} → {self.to_stage}"


class Target(models.Model):
    """A public official or decision-maker, by office and jurisdiction (no party: non-partisan)."""

    name = models.CharField(_("name"), max_length=160)
    office = models.CharField(_("office"), max_length=160)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=160)
    public_contact = models.CharField(_("public office contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "office", "jurisdiction"], name="target_unique_office"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.office}, {self.jurisdiction})"

    def get_absolute_url(self) -> str:
        return reverse("targets:detail", args=[self.pk])


class ResearchAction(models.Model):
    """A meeting with an official or an expert to learn how the issue works and who decides."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="research_actions",
        verbose_name=_("campaign"),
    )
    held_on = models.DateField(_("held on"))
    met_with = models.CharField(_("met with"), max_length=200)
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_actions",
        verbose_name=_("target"),
    )
    who_went = models.ManyToManyField(
        "members.Person", blank=True, related_name="research_actions", verbose_name=_("who went")
    )
    questions = models.TextField(_("questions"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("research action")
        verbose_name_plural = _("research actions")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.met_with} · {self.held_on}"


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTIAL = "partial", _("Partial")
    NO_ANSWER = "no_answer", _("No answer")


# A yes or a partial yes is a promise: only a promise is kept or broken. A "no" is not one.
PROMISE_ANSWERS = (Answer.YES, Answer.PARTIAL)


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Commitment(models.Model):
    """What a target was asked in public, what they answered, and whether they kept it."""

    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("target")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("campaign"),
    )
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("asked at"),
    )
    ask = models.TextField(_("ask"))
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.NO_ANSWER
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target", "status"], name="commitment_target_idx")]

    def __str__(self):
        return f"{self.target.name}: {self.ask[:60]}"

    @property
    def is_promise(self) -> bool:
        return self.answer in PROMISE_ANSWERS

    @property
    def is_open_promise(self) -> bool:
        return self.is_promise and self.status == CommitmentStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        """A promise, or an ask still waiting for its answer, past its due date (a "no" is done)."""
        return (
            self.status == CommitmentStatus.OPEN
            and self.answer != Answer.NO
            and self.due_on is not None
            and self.due_on < datetime.date.today()
        )

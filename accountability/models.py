"""Our own accountability: the commitments leaders make themselves (bring N people to an action,
hold N one-on-ones, host a house meeting by a date), measured from the data and resolved at their
due date. Not campaigns.Commitment (an official's answer to an ask), nor actions.TurnoutPledge (a
congregation's promise of turnout)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitmentKind(models.TextChoices):
    BRING = "bring", _("Bring people to an action")
    ONE_ON_ONES = "one_on_ones", _("Hold one-on-ones")
    HOUSE_MEETING = "house_meeting", _("Host house meetings")


class MadeAt(models.TextChoices):
    ACTION = "action", _("At an action")
    HOUSE_MEETING = "house_meeting", _("At a house meeting")
    EVALUATION = "evaluation", _("At an evaluation")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class LeaderCommitment(models.Model):
    """A leader's pledge: what they said they would do, by when, where they said it, and — once
    its due date has passed — whether the data shows they did (the evidence is the count)."""

    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="leader_commitments",
        verbose_name=_("leader"),
    )
    kind = models.CharField(_("commitment"), max_length=20, choices=CommitmentKind.choices)
    target = models.PositiveSmallIntegerField(_("how many"))
    # Measured from made_on to due_on, both included (local dates).
    made_on = models.DateField(_("made on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    # "Bring N people": the action they bring people to (their invitees who checked in count).
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_commitments",
        verbose_name=_("action to bring people to"),
    )
    made_at = models.CharField(_("made"), max_length=20, choices=MadeAt.choices)
    # Where it was said: the action (or the action whose evaluation it was), or the house meeting.
    source_action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_commitments_made",
        verbose_name=_("made at the action"),
    )
    source_house_meeting = models.ForeignKey(
        "relationships.HouseMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_commitments_made",
        verbose_name=_("made at the house meeting"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    evidence = models.PositiveIntegerField(_("counted at resolution"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("leader's commitment")
        verbose_name_plural = _("leaders' commitments")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=1), name="leadercommit_target_positive"),
            models.CheckConstraint(
                condition=~Q(kind="bring") | Q(action__isnull=False),
                name="leadercommit_bring_names_action",
            ),
            models.CheckConstraint(
                condition=Q(made_at="house_meeting", source_house_meeting__isnull=False)
                | Q(made_at__in=["action", "evaluation"], source_action__isnull=False),
                name="leadercommit_source_named",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True, evidence__isnull=True)
                | Q(
                    status__in=["kept", "broken"],
                    resolved_at__isnull=False,
                    evidence__isnull=False,
                ),
                name="leadercommit_resolution_whole",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("made_on")), name="leadercommit_due_after_made"
            ),
            # One "bring" promise per leader per action: the counts would otherwise be doubled.
            models.UniqueConstraint(
                fields=["person", "action"],
                condition=Q(kind="bring"),
                name="leadercommit_bring_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(status="open"), name="leadercommit_open_idx"
            ),
            models.Index(fields=["person", "due_on"], name="leadercommit_person_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.target} · {self.due_on}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.OPEN

"""Relational meetings: one-on-ones, house meetings, follow-ups, and the issues people name.

Privacy rule (docs/relationships.md): the story / self-interest notes of a one-on-one or a house
meeting are readable by their author and admins; the author may share them with the core team of
the meeting's congregation. Everyone else who may see the meeting sees that it happened, never the
notes. The rule is applied once, in relationships.selectors (`notes_readable_q`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conect.ladder import Level

# The rungs the rising list looks at (relationships.selectors.rising): low on the ladder.
RISING_LEVELS = [Level.MEMBER, Level.PARTICIPANT]


class IssueHeard(models.Model):
    """The listening vocabulary: what people say keeps them up at night."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_active = models.BooleanField(_("offered as a chip"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issue heard")
        verbose_name_plural = _("issues heard")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Potential(models.TextChoices):
    UNKNOWN = "", _("Not sure yet")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High — could lead")


class OneOnOne(models.Model):
    """A relational meeting between someone with a login and a person in the network."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="one_on_ones",
        verbose_name=_("held by"),
    )
    # The author's own Person, when they have one: the relationship map links people to people.
    author_person = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="one_on_ones_held",
        verbose_name=_("held by (person)"),
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="one_on_ones",
        verbose_name=_("with"),
    )
    # The person's primary congregation when the meeting was logged: scope, roll-up, sharing.
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="one_on_ones",
        verbose_name=_("congregation"),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    issues = models.ManyToManyField(
        IssueHeard, blank=True, related_name="one_on_ones", verbose_name=_("issues heard")
    )
    notes = models.TextField(_("story and self-interest"), blank=True)
    notes_shared_with_core_team = models.BooleanField(
        _("share notes with the congregation's core team"), default=False
    )
    potential = models.CharField(
        _("potential"), max_length=10, choices=Potential.choices, blank=True, default=""
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("one-on-one")
        verbose_name_plural = _("one-on-ones")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["author", "-held_on"], name="oneonone_author_idx"),
            models.Index(fields=["person", "-held_on"], name="oneonone_person_idx"),
            models.Index(fields=["congregation", "held_on"], name="oneonone_cong_idx"),
            models.Index(fields=["author_person", "person"], name="oneonone_pair_idx"),
            models.Index(fields=["held_on"], name="oneonone_held_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("relationships:one_on_one_detail", args=[self.pk])


class HouseMeeting(models.Model):
    """A small listening meeting hosted by a congregation, run by a facilitator."""

    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.PROTECT,
        related_name="house_meetings",
        verbose_name=_("host congregation"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="house_meetings",
        verbose_name=_("facilitator"),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        "members.Person", blank=True, related_name="house_meetings", verbose_name=_("attendees")
    )
    issues = models.ManyToManyField(
        IssueHeard, blank=True, related_name="house_meetings", verbose_name=_("issues heard")
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_shared_with_core_team = models.BooleanField(
        _("share notes with the congregation's core team"), default=False
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("house meeting")
        verbose_name_plural = _("house meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["congregation", "-held_on"], name="housemtg_cong_idx"),
            models.Index(fields=["facilitator", "-held_on"], name="housemtg_facilitator_idx"),
        ]

    def __str__(self):
        return f"{self.congregation} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("relationships:house_meeting_detail", args=[self.pk])


class FollowUpSource(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("One-on-one")
    HOUSE_MEETING = "house_meeting", _("House meeting")
    ACTION = "action", _("Action")
    MANUAL = "manual", _("Manual")


class FollowUp(models.Model):
    """A promise to get back to someone. Due dates are local (America/New_York) calendar dates."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("person"),
    )
    due_on = models.DateField(_("due on"))
    kind = models.CharField(
        _("source"), max_length=20, choices=FollowUpSource.choices, default=FollowUpSource.MANUAL
    )
    # Generic source (a one-on-one, a house meeting, an action ...); null for manual ones.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.CharField(_("what to do"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        constraints = [
            # One follow-up per owner, person and source: retried services create nothing new.
            models.UniqueConstraint(
                fields=["owner", "person", "source_type", "source_id"],
                condition=models.Q(source_type__isnull=False),
                name="followup_once_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(source_type__isnull=True, source_id__isnull=True)
                | models.Q(source_type__isnull=False, source_id__isnull=False),
                name="followup_source_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"], name="followup_owner_idx"),
            models.Index(fields=["person", "due_on"], name="followup_person_idx"),
            # The reminder sweep scans open follow-ups of every owner by due date; open ones
            # are a few percent of all (bench/plans/sweep-*.txt).
            models.Index(
                fields=["due_on"],
                condition=models.Q(done_at__isnull=True),
                name="followup_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


class WeeklyTarget(models.Model):
    """A user's own weekly one-on-one target; without one the role's default applies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="weekly_target",
        verbose_name=_("user"),
    )
    one_on_ones = models.PositiveSmallIntegerField(_("one-on-ones a week"))

    class Meta:
        verbose_name = _("weekly target")
        verbose_name_plural = _("weekly targets")

    def __str__(self):
        return f"{self.user}: {self.one_on_ones}"


# --- Tallies (issue 16): what the homes and the listening roll-up count, kept instead of -------
# --- recounted from the whole history on every request (relationships/tallies.py) -------------


class PersonContact(models.Model):
    """When a person was last met in a one-on-one, how often, and how often they were marked
    high potential: the going-cold and rising lists read this, not every meeting."""

    person = models.OneToOneField(
        "members.Person",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="contact",
        verbose_name=_("person"),
    )
    last_met_on = models.DateField(_("last met on"))
    meetings = models.PositiveIntegerField(_("one-on-ones"))
    high_potential = models.PositiveIntegerField(_("one-on-ones marked high potential"))
    # A copy of the person's rung, for the rising list's index: most people met often are
    # leaders already, so without it a scoped rising list walked thousands of them (114 ms at
    # 1M). Kept by the recounts and a ladder move (RelationshipsConfig.ready); the list still
    # checks the person's own level, so a stale copy can only hide a demoted person an hour.
    level = models.CharField(_("ladder level"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("person's contact tally")
        verbose_name_plural = _("people's contact tallies")
        indexes = [
            models.Index(fields=["-last_met_on", "person"], name="contact_last_met_idx"),
            models.Index(
                fields=["-meetings", "-last_met_on", "person"],
                condition=models.Q(high_potential__gte=1, level__in=RISING_LEVELS),
                name="contact_rising_low_idx",
            ),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.meetings} · {self.last_met_on}"


class ListeningSource(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("One-on-one")
    HOUSE_MEETING = "house_meeting", _("House meeting")


class ListeningTally(models.Model):
    """How many meetings of a congregation raised an issue in a month, by kind of meeting."""

    source = models.CharField(_("heard in"), max_length=20, choices=ListeningSource.choices)
    issue = models.ForeignKey(
        IssueHeard, on_delete=models.CASCADE, related_name="+", verbose_name=_("issue heard")
    )
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("congregation"),
    )
    month = models.DateField(_("month"))
    heard = models.PositiveIntegerField(_("meetings"))

    class Meta:
        verbose_name = _("listening tally")
        verbose_name_plural = _("listening tallies")
        indexes = [
            models.Index(fields=["month", "congregation"], name="listening_month_idx"),
            models.Index(fields=["congregation", "month"], name="listening_cong_idx"),
        ]

    def __str__(self):
        return f"{self.source} {self.issue_id} {self.congregation_id} {self.month}: {self.heard}"


class CongregationDay(models.Model):
    """One-on-ones held on a day with a congregation's people (the meeting's own congregation,
    as the scope reads it): the lead's twelve weeks and the congregation list's last 30 days
    add up a few hundred of these instead of counting every meeting."""

    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("congregation"),
    )
    day = models.DateField(_("day"))
    one_on_ones = models.PositiveIntegerField(_("one-on-ones"))

    class Meta:
        verbose_name = _("congregation's day of one-on-ones")
        verbose_name_plural = _("congregations' days of one-on-ones")
        constraints = [
            models.UniqueConstraint(fields=["congregation", "day"], name="congregation_day_once")
        ]

    def __str__(self):
        return f"{self.congregation_id} {self.day}: {self.one_on_ones}"

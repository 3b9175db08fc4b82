from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect import audit
from conect.access import Role
from conect.ladder import Level

from .languages import language_choices


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None makes an unusable password: an invitation, not a login
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_superuser", True)
        if extra["role"] != Role.ADMIN:
            raise ValueError("A superuser has the admin role")
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in. Their scope is their role plus the congregations assigned to them."""

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEADER)
    congregations = models.ManyToManyField(
        "congregations.Congregation",
        blank=True,
        related_name="users",
        verbose_name=_("congregations"),
        help_text=_("Whose people an organizer or lead sees."),
    )
    network_wide = models.BooleanField(
        _("network-wide"), default=False, help_text=_("An organizer who sees every congregation.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # django-stubs declares a ClassVar

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_staff(self) -> bool:
        # The Django admin is for the admin role only (DESIGN.md).
        return self.is_active and self.role == Role.ADMIN

    def has_perm(self, perm, obj=None) -> bool:
        # The admin role may change everything (DESIGN.md); other roles never use Django perms.
        return self.is_active and self.role == Role.ADMIN or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and self.role == Role.ADMIN or super().has_module_perms(app_label)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    PUNJABI = "pa", _("Punjabi")
    ARABIC = "ar", _("Arabic")
    OTHER = "other", _("Other")


# Any ISO 639-1 code (members/languages.py); the six above keep their translated labels.
LANGUAGE_CHOICES = language_choices(Language.choices)


e164 = RegexValidator(
    r"^\+[1-9]\d{6,14}$", _("Enter a phone number in E.164 form, e.g. +18605550123.")
)
phone_ext = RegexValidator(r"^\d{1,10}$", _("An extension is digits only, e.g. 204."))
us_zip = RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a 5-digit ZIP code (or ZIP+4)."))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone in the network. Most never log in."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[e164])
    # Kept apart from the E.164 number, which has no room for one (docs/decisions.md).
    phone_extension = models.CharField(
        _("extension"), max_length=10, blank=True, validators=[phone_ext]
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    zip = models.CharField(_("ZIP code"), max_length=10, blank=True, validators=[us_zip])
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, default=Language.ENGLISH
    )
    level = models.CharField(
        _("ladder level"), max_length=20, choices=Level.choices, default=Level.MEMBER
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("tags"))
    email_ok = models.BooleanField(_("email ok"), default=True)
    sms_ok = models.BooleanField(_("SMS ok"), default=False)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    # Sensitive: shown only to the roles docs/privacy.md names. Race/ethnicity is not here: it
    # is self-identified, with consent, in Demographics (docs/values.md).
    notes = models.TextField(_("private notes"), blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["email"], name="person_email_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            models.Index(fields=["level"], name="person_level_idx"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class LeadershipChange(models.Model):
    """One move on the ladder: history, never edited."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ladder_history", verbose_name=_("person")
    )
    from_level = models.CharField(_("from"), max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(_("to"), max_length=20, choices=Level.choices)
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("leadership change")
        verbose_name_plural = _("leadership changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "-changed_at"], name="ladder_person_idx")]

    def __str__(self):
        return f"{self.person}: {self.from_level or '—'} → {self.to_level}"


class AuditEvent(models.Model):
    """Who did what sensitive thing, and when. Append-only by convention; admins read it.

    `person_id` is a plain number, not a foreign key, so the record outlives a deleted person
    without keeping their name (a privacy deletion must not leave the data it removed here)."""

    class Action(models.TextChoices):
        VIEW_SENSITIVE = "view_sensitive", _("Viewed sensitive fields")
        VIEW_STORY = "view_story", _("Read a meeting's story")
        CREATE = "create", _("Created a person")
        UPDATE = "update", _("Edited a person")
        ARCHIVE = "archive", _("Archived a person")
        UNARCHIVE = "unarchive", _("Restored a person")
        DELETE = "delete", _("Deleted a person")
        MERGE = "merge", _("Merged two people")
        IMPORT = "import", _("Imported people")
        EXPORT = audit.EXPORT, _("Exported a list")
        LADDER = "ladder", _("Moved on the ladder")
        ATTENDANCE_AFTER = "attendance_after", _("Recorded attendance after the fact")
        ADMIN_VIEW = audit.ADMIN_VIEW, _("Opened a record in the admin")
        ADMIN_LIST = audit.ADMIN_LIST, _("Listed records in the admin")
        ADMIN_ADD = audit.ADMIN_ADD, _("Added a record in the admin")
        ADMIN_CHANGE = audit.ADMIN_CHANGE, _("Changed a record in the admin")
        ADMIN_DELETE = audit.ADMIN_DELETE, _("Deleted a record in the admin")

    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    person_id = models.BigIntegerField(_("person id"), null=True, blank=True)
    # The record acted on when it is not (only) a person: "relationships.oneonone" and its id.
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.BigIntegerField(_("record id"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    client_ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-created_at"], name="audit_person_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


class ImportJob(models.Model):
    """A CSV upload in the browser: previewed first, written only when confirmed."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Checking the file")
        PREVIEW = "preview", _("Ready to confirm")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        INVALID = "invalid", _("Has errors")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    congregation = models.ForeignKey(
        "congregations.Congregation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default congregation"),
    )
    confirmed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"))  # the decoded CSV; cleared once imported
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ANALYSING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The step now asked for (checking, or importing) was asked for at queued_at; a worker holds
    # it while heartbeat_at is recent (set when it starts, and as it reports progress). A step
    # queued long ago that no one holds was lost: the beat's sweep queues it again (issue 12).
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("worker seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("members:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.ANALYSING, self.Status.IMPORTING)

    @property
    def is_waiting(self) -> bool:
        """Queued, and no worker has started it yet."""
        return self.is_running and self.heartbeat_at is None


class NotDuplicate(models.Model):
    """Someone checked a candidate pair and they are two different people: stop suggesting it.

    Hidden reverse relations ("+"), so a merge does not carry these over: they cascade away with
    the merged-away record."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


# --- Values: self-identified demographics and voter registration (docs/values.md) ----------


class RaceEthnicity(models.TextChoices):
    """The documented list a person picks from (any number), plus their own words. Each is
    what the person says of themself; staff never guess it (docs/values.md)."""

    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian or Asian American")
    BLACK = "black", _("Black or African American")
    CARIBBEAN = "caribbean", _("Caribbean or West Indian")
    LATINO = "latino", _("Hispanic or Latino/a/e")
    MIDDLE_EASTERN = "mena", _("Middle Eastern or North African")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Pacific Islander")
    SOUTH_ASIAN = "south_asian", _("South Asian")
    WHITE = "white", _("White")


class EquityGroup(models.TextChoices):
    """The report's column for a person: their one group, or one of these when there is not
    exactly one, so each person is counted once and totals are people."""

    MULTIPLE = "multiple", _("Two or more groups")
    SELF_DESCRIBED = "self_described", _("In their own words")


class Demographics(models.Model):
    """A person's self-identified race/ethnicity, kept only with their consent.

    `consented_on` empty means a value staff typed before consent was asked (the old
    free-text field, moved here by migration): it is shown to staff as "ask to confirm" and
    counted nowhere until the person agrees. Withdrawing consent deletes the row."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="demographics", verbose_name=_("person")
    )
    groups = models.JSONField(_("race/ethnicity"), default=list, blank=True)
    self_described = models.CharField(_("in their own words"), max_length=100, blank=True)
    # Computed from groups + self_described by the service: the report groups by it in SQL.
    equity_group = models.CharField(_("report group"), max_length=20, blank=True)
    consented_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("self-identified demographics")
        verbose_name_plural = _("self-identified demographics")
        indexes = [models.Index(fields=["equity_group"], name="demographics_group_idx")]

    def __str__(self):
        return f"{self.person_id}"

    @property
    def has_consent(self) -> bool:
        return self.consented_on is not None

    def group_labels(self) -> list:
        labels = dict(RaceEthnicity.choices)
        return [labels[code] for code in self.groups if code in labels]


class VoterStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOT_REGISTERED = "not_registered", _("Not registered")
    UNSURE = "unsure", _("Not sure")


class VoterRegistration(models.Model):
    """Whether a person says they are registered to vote, where, and when we asked. What the
    person reports, not a check against the voter file; nothing about how anyone votes."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="voter_registration",
        verbose_name=_("person"),
    )
    status = models.CharField(_("registration"), max_length=20, choices=VoterStatus.choices)
    town = models.CharField(_("registered in (town)"), max_length=100, blank=True)
    asked_on = models.DateField(_("asked on"))
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("voter registration (as reported)")
        verbose_name_plural = _("voter registrations (as reported)")
        indexes = [models.Index(fields=["status"], name="voter_status_idx")]

    def __str__(self):
        return f"{self.person_id}: {self.status}"


class ImportRow(models.Model):
    """One row of a previewed import: what will happen to it, and the person it matches (only
    ever one the uploader may see). Deleted with the upload; rejected rows keep their cells
    for the "rejected rows" CSV until the upload is purged."""

    class Action(models.TextChoices):
        NEW = "new", _("New person")
        FLAGGED = "flagged", _("New person, possible duplicate")
        UPDATE = "update", _("Matched, details added")
        UNCHANGED = "unchanged", _("Matched, already there")
        ERROR = "error", _("Rejected")

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("line"))
    name = models.CharField(_("name"), max_length=201, blank=True)
    action = models.CharField(_("what happens"), max_length=10, choices=Action.choices)
    # A plain number, as AuditEvent.person_id: the row outlives nobody and constrains nothing.
    person_id = models.BigIntegerField(_("person id"), null=True, blank=True)
    same_as_line = models.PositiveIntegerField(_("same person as line"), null=True, blank=True)
    # Why it matched or was flagged ("email", "phone", "name_zip", "name", "same", "conflict"…).
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    detail = models.TextField(_("detail"), blank=True)  # the row's errors, or notes
    cells = models.JSONField(_("cells"), null=True, blank=True)  # rejected rows only

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "line"]
        indexes = [
            models.Index(fields=["job", "line"], name="import_row_line_idx"),
            models.Index(fields=["job", "action", "line"], name="import_row_action_idx"),
        ]

    def __str__(self):
        return f"{self.job_id}:{self.line} {self.action}"


class DuplicatePair(models.Model):
    """A candidate pair from the last duplicate scan (members.duplicates.duplicates_refresh), kept
    so the queue reads an index instead of re-running the rules per request. `reasons` is a bit
    mask of the rules that matched, strongest rule highest (members.duplicates.REASON_BITS), so
    ordering by it puts the strongest pairs first; `newest_at` is when the newer of the two
    records was created. Hidden reverse relations: a merge does not carry pairs over, they
    cascade away with the merged-away record."""

    # No database foreign keys: the scan inserts hundreds of thousands of rows at once and the
    # per-row checks were most of its time. Django still cascades deletes (the collector), and
    # the queue joins both people, so a pair never outlives either record on screen.
    first = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )  # the unique (first, second) index serves lookups by first
    second = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    reasons = models.PositiveSmallIntegerField(_("reasons"))
    newest_at = models.DateTimeField(_("newest record created at"))
    found_at = models.DateTimeField(_("found at"), default=timezone.now)  # first found

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["-reasons", "-newest_at", "-id"], name="duplicate_pair_strongest"),
            models.Index(fields=["-newest_at", "-reasons", "-id"], name="duplicate_pair_newest"),
        ]

    def __str__(self):
        return f"{self.first_id} ~ {self.second_id}"


class DuplicateScan(models.Model):
    """One run of the duplicate scan (members.duplicates.duplicates_refresh): when it finished
    and how many pairs it left in the queue. The scan writes only the pairs that changed, so a
    pair's found_at is when it was first found, not when the queue was last refreshed."""

    finished_at = models.DateTimeField(_("finished at"), default=timezone.now)
    pairs = models.PositiveIntegerField(_("pairs"))

    class Meta:
        verbose_name = _("duplicate scan")
        verbose_name_plural = _("duplicate scans")

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.pairs})"


class OtherEmail(models.Model):
    """An email address a person also uses, besides Person.email: a merge keeps the merged-away
    record's address here (and its other addresses move with the rest of its records), so no
    address is lost. One row per person and address."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_emails")
    email = models.EmailField(_("email"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("other email")
        verbose_name_plural = _("other emails")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "email"], name="other_email_once"),
        ]

    def __str__(self):
        return self.email


class LadderTally(models.Model):
    """The network's people (not archived) on each rung of the ladder: the admin's and the
    network-wide organizer's homes read these few rows instead of counting a million people.
    Recounted by beat every minute (members.tasks.ladder_tally_task) and by the seeders."""

    level = models.CharField(_("ladder level"), max_length=20, primary_key=True)
    people = models.PositiveIntegerField(_("people"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("ladder tally")
        verbose_name_plural = _("ladder tallies")

    def __str__(self):
        return f"{self.level}: {self.people}"

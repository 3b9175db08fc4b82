"""Reminder rules and the claim → deliver path, with a fixed clock."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions.models import Rsvp
from conect.access import Role
from members.models import Level
from members.services import person_merge
from notifications.models import Kind, Notification, Preference, Status
from notifications.reminders import reminders_sweep
from notifications.services import Due, notifications_claim, notifications_deliver
from tests.campaigns.factories import ActionFactory, AttendanceFactory
from tests.factories import PersonFactory, UserFactory
from tests.relationships.factories import FollowUpFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NY)


def sweep(now):
    claimed = reminders_sweep(now)
    notifications_deliver(now=now + datetime.timedelta(hours=1))
    return claimed


@pytest.fixture
def owner(leader):
    return leader


class TestFollowUpDue:
    def test_day_before_and_on_the_day_once_each(self, owner, mailoutbox):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        sweep(at(2026, 11, 26, 7, 5))
        sweep(at(2026, 11, 26, 7, 10))  # a second sweep the same day sends nothing
        assert len(mailoutbox) == 1 and "tomorrow" in mailoutbox[0].subject
        sweep(at(2026, 11, 27, 9, 0))
        assert len(mailoutbox) == 2 and "today" in mailoutbox[1].subject
        assert Notification.objects.filter(kind=Kind.FOLLOWUP_DUE).count() == 2
        assert mailoutbox[0].to == [owner.email]

    def test_nothing_before_the_daily_hour(self, owner, mailoutbox):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        sweep(at(2026, 11, 27, 6, 59))
        assert mailoutbox == [] and not Notification.objects.exists()

    def test_done_follow_ups_are_quiet(self, owner, mailoutbox):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27), done_at=timezone.now())
        sweep(at(2026, 11, 27, 8, 0))
        assert mailoutbox == []

    def test_spanish_recipient_reads_spanish(self, owner, mailoutbox):
        owner.person.language = "es"
        owner.person.save()
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        sweep(at(2026, 11, 27, 8, 0))
        assert mailoutbox[0].subject.startswith("Haga seguimiento")

    def test_email_off_keeps_it_in_the_app(self, owner, mailoutbox):
        Preference.objects.create(user=owner, kind=Kind.FOLLOWUP_DUE, email=False)
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        sweep(at(2026, 11, 27, 8, 0))
        assert mailoutbox == []
        assert Notification.objects.get().status == Status.IN_APP

    def test_do_not_contact_recipient_gets_nothing(self, owner, mailoutbox):
        owner.person.do_not_contact = True
        owner.person.save()
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        sweep(at(2026, 11, 27, 8, 0))
        assert mailoutbox == [] and not Notification.objects.exists()


class TestFollowUpOverdue:
    def test_three_days_late_goes_to_the_owners_organizer_once(
        self, owner, organizer, network_organizer, mailoutbox
    ):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 20))
        sweep(at(2026, 11, 22, 8, 0))  # two days late: not yet
        assert not Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE).exists()
        sweep(at(2026, 11, 23, 8, 0))
        sweep(at(2026, 11, 24, 8, 0))
        overdue = Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE)
        assert [n.recipient_user for n in overdue] == [organizer]
        late_mail = [m for m in mailoutbox if "overdue" in m.subject]
        assert len(late_mail) == 1 and late_mail[0].to == [organizer.email]
        assert "1 follow-up is overdue" in late_mail[0].subject

    def test_one_grouped_message_per_recipient_per_day(self, owner, organizer, mailoutbox):
        """One sweep sent an organizer 45 separate notices (issue 13, item 1): now one message
        a day, naming each follow-up that went overdue since the last one, each once."""
        people = PersonFactory.create_batch(45)
        for n, person in enumerate(people):
            FollowUpFactory(owner=owner, person=person, due_on=datetime.date(2026, 11, 1 + n % 20))
        sweep(at(2026, 11, 24, 8, 0))
        sweep(at(2026, 11, 24, 9, 0))
        (first,) = Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE)
        assert first.recipient_user == organizer and "45 follow-ups are overdue" in first.title
        assert all(person.full_name in first.body for person in people)
        assert f"http://127.0.0.1:8000{people[0].get_absolute_url()}" in first.body
        late = FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 22))
        sweep(at(2026, 11, 25, 8, 0))  # the next day: only the one that crossed the line since
        second = Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE).latest("id")
        assert second.pk != first.pk and "1 follow-up is overdue" in second.title
        assert late.person.full_name in second.body and people[0].full_name not in second.body
        sweep(at(2026, 11, 26, 8, 0))  # nothing new: no message
        assert Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE).count() == 2
        assert len([m for m in mailoutbox if "overdue" in m.subject]) == 2

    def test_organizers_own_follow_ups_go_to_the_admins(
        self, organizer, admin_user, network_organizer, mailoutbox
    ):
        FollowUpFactory(owner=organizer, due_on=datetime.date(2026, 11, 10))
        FollowUpFactory(owner=admin_user, due_on=datetime.date(2026, 11, 10))  # nobody above
        sweep(at(2026, 11, 24, 8, 0))
        (escalated,) = Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE)
        assert escalated.recipient_user == admin_user
        assert organizer.get_full_name() in escalated.body

    def test_a_first_sweep_does_not_dig_up_old_ones(self, owner, organizer):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 9, 1))  # months ago
        sweep(at(2026, 11, 24, 8, 0))
        assert not Notification.objects.filter(kind=Kind.FOLLOWUP_OVERDUE).exists()


class TestWeeklyDigest:
    def test_monday_seven_local_through_daylight_saving(self, organizer, mailoutbox):
        utc = datetime.UTC
        # 2026-03-09 is the first Monday of daylight time: 7:00 EDT is 11:00 UTC.
        assert not reminders_sweep(datetime.datetime(2026, 3, 9, 10, 59, tzinfo=utc))[
            "weekly_digest"
        ]
        assert (
            reminders_sweep(datetime.datetime(2026, 3, 9, 11, 0, tzinfo=utc))["weekly_digest"] == 1
        )
        # A week earlier, standard time: 11:30 UTC is 6:30 EST, too early; 12:00 UTC is 7:00.
        assert not reminders_sweep(datetime.datetime(2026, 3, 2, 11, 30, tzinfo=utc))[
            "weekly_digest"
        ]
        assert (
            reminders_sweep(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=utc))["weekly_digest"] == 1
        )
        # November 2, 2026, the Monday after clocks fall back: 7:00 EST is 12:00 UTC.
        assert not reminders_sweep(datetime.datetime(2026, 11, 2, 11, 30, tzinfo=utc))[
            "weekly_digest"
        ]
        assert (
            reminders_sweep(datetime.datetime(2026, 11, 2, 12, 0, tzinfo=utc))["weekly_digest"] == 1
        )

    def test_not_on_other_days_and_once_per_monday(self, organizer):
        assert not reminders_sweep(at(2026, 11, 24, 9, 0))["weekly_digest"]  # a Tuesday
        assert reminders_sweep(at(2026, 11, 23, 7, 5))["weekly_digest"] == 1
        assert reminders_sweep(at(2026, 11, 23, 12, 0))["weekly_digest"] == 0

    def test_digest_numbers_match_hand_counts(self, organizer, congregation, mailoutbox):
        monday = datetime.date(2026, 11, 23)
        for day in (16, 18, 22):  # three in the week before the digest
            OneOnOneFactory(author=organizer, held_on=datetime.date(2026, 11, day))
        OneOnOneFactory(author=organizer, held_on=datetime.date(2026, 11, 23))  # this week
        cold = PersonFactory(
            first_name="Reverend", last_name="Lee", level=Level.LEADER, congregation=congregation
        )
        OneOnOneFactory(author=organizer, person=cold, held_on=monday - datetime.timedelta(days=75))
        warm = PersonFactory(first_name="Warm", level=Level.LEADER, congregation=congregation)
        OneOnOneFactory(author=organizer, person=warm, held_on=monday - datetime.timedelta(days=10))
        FollowUpFactory(owner=organizer, due_on=monday - datetime.timedelta(days=2))
        FollowUpFactory(owner=organizer, due_on=monday + datetime.timedelta(days=3))
        sweep(at(2026, 11, 23, 7, 5))
        digest = Notification.objects.get(kind=Kind.WEEKLY_DIGEST)
        assert "Last week: 3 one-on-ones of your 10." in digest.body
        assert "Follow-ups due this week: 2 (1 already late)." in digest.body
        assert "Reverend Lee" in digest.body and "Warm" not in digest.body
        assert any(m.subject == digest.title for m in mailoutbox)


class TestExactlyOnce:
    def test_retried_task_after_the_claim_sends_once(self, owner, mailoutbox):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        now = at(2026, 11, 27, 8, 0)
        reminders_sweep(now)
        with mock.patch(
            "notifications.services.EmailMessage.send", side_effect=OSError("smtp down")
        ):
            counts = notifications_deliver(now=now)
        assert counts == {"sent": 0, "retry": 1, "failed": 0}
        row = Notification.objects.get()
        assert row.status == Status.PENDING and row.attempts == 1 and "smtp down" in row.last_error
        assert notifications_deliver(now=now)["sent"] == 0  # backing off: not yet
        later = row.next_attempt_at + datetime.timedelta(seconds=1)
        assert notifications_deliver(now=later)["sent"] == 1
        assert notifications_deliver(now=later)["sent"] == 0
        assert len(mailoutbox) == 1

    def test_smtp_failing_marks_failed_after_max_attempts(self, owner, mailoutbox, settings):
        settings.CONECT = {**settings.CONECT, "NOTIFY_MAX_ATTEMPTS": 3}
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        now = at(2026, 11, 27, 8, 0)
        reminders_sweep(now)
        with mock.patch("notifications.services.EmailMessage.send", side_effect=OSError("no")):
            for _ in range(5):
                notifications_deliver(now=now)
                now += datetime.timedelta(days=1)
        row = Notification.objects.get()
        assert row.status == Status.FAILED and row.attempts == 3
        assert mailoutbox == []

    def test_killed_worker_lease_runs_out_and_it_sends_once(self, owner, mailoutbox):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        now = at(2026, 11, 27, 8, 0)
        reminders_sweep(now)
        # A worker took the lease and died before sending.
        Notification.objects.update(
            status=Status.SENDING,
            lease_token="dead",
            lease_until=now + datetime.timedelta(minutes=10),
        )
        assert notifications_deliver(now=now)["sent"] == 0  # its lease still holds
        assert notifications_deliver(now=now + datetime.timedelta(minutes=11))["sent"] == 1
        assert len(mailoutbox) == 1
        assert Notification.objects.get().status == Status.SENT

    def test_claim_twice_is_one_row(self, owner):
        due = Due(
            kind=Kind.FOLLOWUP_DUE,
            subject_key="followup:1",
            for_date=datetime.date(2026, 1, 1),
            recipient_user=owner,
            context={"name": owner.person.full_name, "due_on": datetime.date(2026, 1, 1)},
        )
        assert notifications_claim([due, due]) == 1
        assert notifications_claim([due]) == 0
        assert Notification.objects.count() == 1


class TestCommand:
    def test_send_due_reminders_with_now(self, owner, mailoutbox, capsys):
        FollowUpFactory(owner=owner, due_on=datetime.date(2026, 11, 27))
        call_command("send_due_reminders", "--now", "2026-11-27T08:00")
        call_command("send_due_reminders", "--now", "2026-11-27T08:05")
        out = capsys.readouterr().out
        assert "followups_due: 1 new" in out and "followups_due: 0 new" in out
        assert len(mailoutbox) == 1

    def test_bad_now_is_a_clear_error(self):
        with pytest.raises(CommandError, match="not an ISO"):
            call_command("send_due_reminders", "--now", "next tuesday")


def test_inactive_owner_gets_nothing(db, mailoutbox):
    gone = UserFactory(role=Role.LEADER, is_active=False)
    FollowUpFactory(owner=gone, due_on=datetime.date(2026, 11, 27))
    sweep(at(2026, 11, 27, 8, 0))
    assert mailoutbox == [] and not Notification.objects.exists()


def test_merging_people_keeps_reminders_once(admin_user, congregation, mailoutbox):
    """A person reminded before a merge is not reminded again under the survivor's id."""
    action = ActionFactory(starts_at=at(2026, 12, 10, 19, 0), ends_at=at(2026, 12, 10, 21, 0))
    survivor = PersonFactory(congregation=congregation, email="ana@example.org")
    duplicate = PersonFactory(email="ana.r@example.org")
    AttendanceFactory(action=action, person=duplicate, rsvp=Rsvp.YES, congregation=congregation)
    sweep(at(2026, 12, 8, 9, 0))
    assert len([m for m in mailoutbox if "two days" in m.subject]) == 1
    person_merge(survivor=survivor, duplicate=duplicate, by=admin_user)
    sweep(at(2026, 12, 8, 10, 0))
    assert len([m for m in mailoutbox if "two days" in m.subject]) == 1
    assert Notification.objects.get(kind=Kind.ACTION_RSVP).recipient_person == survivor

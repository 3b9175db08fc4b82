"""Reminders about actions, evaluations, commitments and dues, each with a fixed clock."""

import datetime
from zoneinfo import ZoneInfo

import factory
import pytest

from actions.models import Evaluation, EvaluationKind, Rsvp
from campaigns.models import CommitmentStatus
from congregations.models import EntryKind
from notifications.models import Kind, Notification
from notifications.reminders import reminders_sweep
from notifications.services import notifications_deliver
from tests.campaigns.factories import (
    ActionFactory,
    AttendanceFactory,
    CampaignFactory,
    CommitmentFactory,
    PledgeFactory,
)
from tests.congregations.factories import LedgerEntryFactory
from tests.factories import CongregationFactory, PersonFactory
from tests.relationships.factories import OneOnOneFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NY)


def sweep(now):
    claimed = reminders_sweep(now)
    notifications_deliver(now=now)
    return claimed


def of_kind(kind):
    return list(Notification.objects.filter(kind=kind).order_by("id"))


@pytest.fixture
def assembly(congregation, organizer):
    campaign = CampaignFactory(lead_organizer=organizer)
    action = ActionFactory(
        title="Housing assembly",
        campaign=campaign,
        starts_at=at(2026, 12, 10, 19, 0),
        ends_at=at(2026, 12, 10, 21, 0),
        place="Bushnell Park",
    )
    action.congregations.add(congregation)
    return action


class TestActionReminders:
    def test_rsvps_hear_two_days_before_with_place_and_time(
        self, assembly, congregation, mailoutbox
    ):
        yes = PersonFactory(first_name="Ana", congregation=congregation)
        maybe = PersonFactory(congregation=congregation)
        quiet = PersonFactory(congregation=congregation, do_not_contact=True)
        for person, rsvp in ((yes, Rsvp.YES), (maybe, Rsvp.MAYBE), (quiet, Rsvp.YES)):
            AttendanceFactory(action=assembly, person=person, rsvp=rsvp, congregation=congregation)
        sweep(at(2026, 12, 7, 9, 0))  # three days before: nothing
        assert not of_kind(Kind.ACTION_RSVP)
        sweep(at(2026, 12, 8, 9, 0))
        sweep(at(2026, 12, 8, 15, 0))
        [sent] = of_kind(Kind.ACTION_RSVP)
        assert sent.recipient_person == yes
        assert "Bushnell Park" in sent.body and "Housing assembly" in sent.title
        recipients = [m.to for m in mailoutbox]
        assert [yes.email] in recipients
        assert [maybe.email] not in recipients and [quiet.email] not in recipients

    def test_leads_get_pledge_vs_rsvps_seven_and_two_days_before(
        self, assembly, congregation, lead, mailoutbox
    ):
        PledgeFactory(action=assembly, congregation=congregation, pledged=40)
        for _ in range(3):
            AttendanceFactory(
                action=assembly,
                person=PersonFactory(congregation=congregation),
                rsvp=Rsvp.YES,
                congregation=congregation,
            )
        sweep(at(2026, 12, 3, 9, 0))
        sweep(at(2026, 12, 4, 9, 0))  # six days before: nothing new
        sweep(at(2026, 12, 8, 9, 0))
        notes = of_kind(Kind.ACTION_PLEDGE)
        assert [n.recipient_user for n in notes] == [lead, lead]
        assert "pledged 40 people; 3 have said yes" in notes[0].body
        assert "7 days" in notes[0].title and "2 days" in notes[1].title


class TestEvaluationReminders:
    def test_group_due_then_late_then_formal(self, assembly, organizer):
        sweep(at(2026, 12, 10, 20, 0))  # still going on
        assert not of_kind(Kind.EVALUATION_DUE)
        sweep(at(2026, 12, 10, 21, 30))
        sweep(at(2026, 12, 11, 6, 0))  # before the daily hour
        assert [n.subject_key for n in of_kind(Kind.EVALUATION_DUE)] == [
            f"action:{assembly.pk}:group"
        ]
        sweep(at(2026, 12, 11, 9, 0))  # day 1: the first late reminder
        sweep(at(2026, 12, 12, 21, 30))  # day 2: nothing new
        late = of_kind(Kind.EVALUATION_DUE)[1:]
        assert [n.subject_key for n in late] == [f"action:{assembly.pk}:group-late"]
        Evaluation.objects.create(
            action=assembly,
            kind=EvaluationKind.GROUP,
            held_on=datetime.date(2026, 12, 13),
            author=organizer,
        )
        sweep(at(2026, 12, 16, 9, 0))  # six days after: no formal yet
        assert len(of_kind(Kind.EVALUATION_DUE)) == 2
        sweep(at(2026, 12, 17, 9, 0))
        sweep(at(2026, 12, 19, 9, 0))
        formal = of_kind(Kind.EVALUATION_DUE)[2:]
        assert [n.subject_key for n in formal] == [f"action:{assembly.pk}:formal"]
        assert all(n.recipient_user == organizer for n in of_kind(Kind.EVALUATION_DUE))
        sweep(at(2026, 12, 21, 9, 0))  # past the window
        assert len(of_kind(Kind.EVALUATION_DUE)) == 3

    def test_recorded_group_evaluation_silences_it(self, assembly, organizer):
        Evaluation.objects.create(
            action=assembly,
            kind=EvaluationKind.GROUP,
            held_on=datetime.date(2026, 12, 10),
            author=organizer,
        )
        sweep(at(2026, 12, 12, 22, 0))
        assert not of_kind(Kind.EVALUATION_DUE)

    def test_late_group_evaluation_backs_off_and_never_stops(self, assembly, mailoutbox):
        # The action ends on Dec 10; sweep every morning for ten weeks.
        for day in range(70):
            moment = at(2026, 12, 10, 9, 0) + datetime.timedelta(days=day)
            sweep(moment)
            sweep(moment + datetime.timedelta(hours=6))  # a second sweep the same day: nothing
        late = [n for n in of_kind(Kind.EVALUATION_DUE) if n.subject_key.endswith("group-late")]
        days_after = [(n.for_date - datetime.date(2026, 12, 10)).days for n in late]
        assert days_after == [1, 3, 7, 14, 21, 28, 35, 42, 49, 56, 63]
        assert "It has been 14 days" in late[3].body

    def test_an_old_unevaluated_action_gets_one_reminder_not_a_backlog(self, organizer):
        old = ActionFactory(
            title="October assembly",
            starts_at=at(2025, 10, 2, 19, 0),
            ends_at=at(2025, 10, 2, 21, 0),
            created_by=organizer,
        )
        sweep(at(2026, 12, 10, 9, 0))
        sweep(at(2026, 12, 11, 9, 0))
        notes = of_kind(Kind.EVALUATION_DUE)
        assert [n.subject_key for n in notes] == [f"action:{old.pk}:group-late"]


class TestCommitments:
    def test_a_week_before_and_when_overdue_once(self, organizer):
        campaign = CampaignFactory(lead_organizer=organizer)
        commitment = CommitmentFactory(
            campaign=campaign, due_on=datetime.date(2026, 12, 15), status=CommitmentStatus.OPEN
        )
        sweep(at(2026, 12, 8, 9, 0))
        sweep(at(2026, 12, 9, 9, 0))
        sweep(at(2026, 12, 16, 9, 0))
        sweep(at(2026, 12, 17, 9, 0))
        notes = of_kind(Kind.COMMITMENT_DUE)
        assert [n.subject_key for n in notes] == [
            f"commitment:{commitment.pk}:soon",
            f"commitment:{commitment.pk}:overdue",
        ]
        assert "in a week" in notes[0].title and "overdue" in notes[1].title

    def test_kept_commitments_are_quiet(self, organizer):
        CommitmentFactory(
            campaign=CampaignFactory(lead_organizer=organizer),
            due_on=datetime.date(2026, 12, 15),
            status=CommitmentStatus.KEPT,
        )
        sweep(at(2026, 12, 20, 9, 0))
        assert not of_kind(Kind.COMMITMENT_DUE)

    def test_a_no_is_not_an_open_promise(self, organizer):
        CommitmentFactory(
            campaign=CampaignFactory(lead_organizer=organizer),
            due_on=datetime.date(2026, 12, 15),
            answer="no",
        )
        sweep(at(2026, 12, 8, 9, 0))
        sweep(at(2026, 12, 20, 9, 0))
        assert not of_kind(Kind.COMMITMENT_DUE)


class TestDues:
    def test_statement_at_fiscal_year_start_and_overdue_steps(
        self, congregation, lead, admin_user, mailoutbox
    ):
        LedgerEntryFactory(
            congregation=congregation,
            kind=EntryKind.ASSESSMENT,
            amount_cents=180_000,
            fiscal_year=2027,
            effective_on=datetime.date(2026, 7, 1),
        )
        sweep(at(2026, 7, 1, 9, 0))
        [statement] = of_kind(Kind.DUES_STATEMENT)
        assert statement.recipient_user == lead and "$1,800" in statement.body
        sweep(at(2026, 7, 20, 9, 0))  # 19 days: not overdue
        assert not of_kind(Kind.DUES_OVERDUE)
        sweep(at(2026, 8, 5, 9, 0))  # 35 days
        sweep(at(2026, 8, 6, 9, 0))
        assert {n.recipient_user for n in of_kind(Kind.DUES_OVERDUE)} == {lead, admin_user}
        assert len(of_kind(Kind.DUES_OVERDUE)) == 2
        sweep(at(2026, 9, 5, 9, 0))  # 66 days: the 60-day step
        assert len(of_kind(Kind.DUES_OVERDUE)) == 4
        assert "60 days" in of_kind(Kind.DUES_OVERDUE)[-1].title

    def test_paid_congregations_hear_nothing_overdue(self, congregation, lead):
        LedgerEntryFactory(
            congregation=congregation,
            kind=EntryKind.ASSESSMENT,
            amount_cents=180_000,
            fiscal_year=2027,
            effective_on=datetime.date(2026, 7, 1),
        )
        LedgerEntryFactory(
            congregation=congregation,
            kind=EntryKind.PAYMENT,
            method="check",
            amount_cents=-180_000,
            fiscal_year=2027,
            effective_on=datetime.date(2026, 7, 15),
        )
        sweep(at(2026, 9, 5, 9, 0))
        assert not of_kind(Kind.DUES_OVERDUE)


def last_years_dues_unpaid(congregation):
    """FY26's $1,800 assessment, still owed in December 2026: the congregation is in arrears."""
    LedgerEntryFactory(
        congregation=congregation,
        kind=EntryKind.ASSESSMENT,
        amount_cents=180_000,
        fiscal_year=2026,
        effective_on=datetime.date(2025, 7, 1),
    )


def test_digest_lists_pledge_gaps_and_arrears(assembly, congregation, organizer):
    PledgeFactory(action=assembly, congregation=congregation, pledged=40)
    last_years_dues_unpaid(congregation)
    sweep(at(2026, 12, 7, 7, 30))  # a Monday; the assembly is on the 10th
    digest = of_kind(Kind.WEEKLY_DIGEST)[0]
    assert "Housing assembly" in digest.body and "pledged 40, 0 RSVPs" in digest.body
    assert "Congregations in arrears:" in digest.body and congregation.name in digest.body


def test_timing_comes_from_settings(assembly, congregation, settings):
    settings.CONECT = {**settings.CONECT, "ACTION_RSVP_DAYS": 3}
    person = PersonFactory(congregation=congregation)
    AttendanceFactory(action=assembly, person=person, rsvp=Rsvp.YES, congregation=congregation)
    sweep(at(2026, 12, 7, 9, 0))  # three days before the 10th
    assert [n.recipient_person for n in of_kind(Kind.ACTION_RSVP)] == [person]


class TestDigestScopeLinksAndPlurals:
    """The weekly digest (issue 13, item 11): the organizer's own congregations only, a link on
    every item, plurals through ngettext, the leaders not met ordered by who matters most."""

    MONDAY = at(2026, 12, 7, 7, 30)  # the assembly is on the 10th

    def digest_of(self, user):
        return Notification.objects.get(kind=Kind.WEEKLY_DIGEST, recipient_user=user)

    def test_only_their_congregations_pledge_gaps_however_many_others(
        self, assembly, congregation, organizer, network_organizer
    ):
        PledgeFactory(action=assembly, congregation=congregation, pledged=40)
        others = CongregationFactory.create_batch(20, name=factory.Sequence(lambda n: f"Aaron {n}"))
        for other in others:
            assembly.congregations.add(other)
            PledgeFactory(action=assembly, congregation=other, pledged=10)
        sweep(self.MONDAY)
        mine = self.digest_of(organizer).body
        assert "St. Mark's AME Church pledged 40" in mine and "Aaron" not in mine
        network = self.digest_of(network_organizer).body  # the whole network: the biggest first
        assert "St. Mark's AME Church pledged 40" in network
        assert network.count(" pledged 10, 0 RSVPs") == 14 and "6 more:" in network

    def test_plurals_and_a_link_on_every_item(self, assembly, congregation, organizer):
        PledgeFactory(action=assembly, congregation=congregation, pledged=40)
        yes = PersonFactory(congregation=congregation)
        AttendanceFactory(action=assembly, person=yes, rsvp=Rsvp.YES, congregation=congregation)
        last_years_dues_unpaid(congregation)
        leader = PersonFactory(first_name="Rev", last_name="Lee", level="leader")
        OneOnOneFactory(author=organizer, person=leader, held_on=datetime.date(2026, 9, 1))
        OneOnOneFactory(author=organizer, held_on=datetime.date(2026, 12, 1))
        sweep(self.MONDAY)
        body = self.digest_of(organizer).body
        assert "pledged 40, 1 RSVP:" in body and "1 RSVPs" not in body
        assert "Last week: 1 one-on-one of your 10." in body
        site = "http://127.0.0.1:8000"
        items = [line for line in body.splitlines() if line.startswith("- ")]
        assert len(items) == 3  # the leader not met, the pledge gap, the congregation in arrears
        assert all(f" {site}/" in line for line in items), items
        assert f"{site}{leader.get_absolute_url()}" in body
        assert f"{site}{assembly.get_absolute_url()}" in body
        assert f"{site}{congregation.get_dues_url()}" in body

    def test_leaders_not_met_by_who_matters_most(self, organizer, congregation):
        monday = self.MONDAY.date()
        for name, level, days in [
            ("Lena Leader", "leader", 200),
            ("Kim KeyLeader", "key_leader", 70),
            ("Cora CoreTeam", "core_team", 90),
            ("Kai KeyLeader", "key_leader", 150),
        ]:
            first, last = name.split()
            person = PersonFactory(first_name=first, last_name=last, level=level)
            held = monday - datetime.timedelta(days=days)
            OneOnOneFactory(author=organizer, person=person, held_on=held)
        sweep(self.MONDAY)
        body = self.digest_of(organizer).body
        order = [body.index(n) for n in ("Kai", "Kim", "Cora", "Lena")]
        assert order == sorted(order)

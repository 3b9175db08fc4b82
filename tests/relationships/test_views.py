"""Every relationships view: happy path, invalid input, another congregation's object (404),
anonymous (login), wrong method (405), and flat query counts on list pages."""

import datetime
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from members.models import Person
from relationships.models import FollowUp, HouseMeeting, OneOnOne
from relationships.reports import listening_rollup
from relationships.selectors import local_today
from tests.factories import CongregationFactory, PersonFactory

from .factories import FollowUpFactory, HouseMeetingFactory, IssueHeardFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def checked_radios(html: str, name: str) -> list[str]:
    """The values of the checked radio buttons called `name` in a rendered page."""
    inputs = re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    checked = [tag for tag in inputs if re.search(r"\schecked\b", tag)]
    return [value for tag in checked for value in re.findall(r'\bvalue="([^"]*)"', tag)]


GET_PAGES = [
    ("relationships:one_on_one_new", []),
    ("relationships:one_on_one_list", []),
    ("relationships:person_search", []),
    ("relationships:house_meeting_list", []),
    ("relationships:house_meeting_new", []),
    ("relationships:follow_up_list", []),
    ("relationships:listening", []),
    ("relationships:map", []),
]


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_anonymous_goes_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_pages_answer_for_an_organizer(client, login, organizer, name, args):
    assert login(client, organizer).get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "relationships:one_on_one_list",
        "relationships:person_search",
        "relationships:follow_up_list",
        "relationships:listening",
        "relationships:map",
        "relationships:house_meeting_list",
    ],
)
def test_read_only_pages_refuse_post(client, login, organizer, name):
    assert login(client, organizer).post(reverse(name)).status_code == 405


def test_detail_pages_refuse_post_and_done_refuses_get(client, login, organizer, member):
    login(client, organizer)
    meeting = OneOnOneFactory(author=organizer, person=member)
    house = HouseMeetingFactory(facilitator=organizer)
    follow_up = FollowUpFactory(owner=organizer, person=member)
    assert client.post(meeting.get_absolute_url()).status_code == 405
    assert client.post(house.get_absolute_url()).status_code == 405
    url = reverse("home:person_practice", args=[member.pk])
    assert client.post(url).status_code == 405
    url = reverse("relationships:follow_up_done", args=[follow_up.pk])
    assert client.get(url).status_code == 405


class TestQuickLog:
    def post(self, client, **data):
        return client.post(reverse("relationships:one_on_one_new"), data)

    def test_form_is_prefilled_with_today_and_chips(self, client, login, organizer, housing):
        with freeze_time("2026-11-25 03:30:00"):  # 22:30 on the 24th in New York
            body = login(client, organizer).get(reverse("relationships:one_on_one_new"))
        html = body.content.decode()
        assert 'value="2026-11-24"' in html
        assert "housing" in html and 'class="chip"' in html

    def test_log_existing_person_with_follow_up(self, client, login, organizer, member, housing):
        login(client, organizer)
        response = self.post(
            client,
            person=member.pk,
            held_on="2026-11-20",
            issues=[housing.pk],
            notes="story",
            follow_up="1w",
        )
        meeting = OneOnOne.objects.get()
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert meeting.person == member and meeting.author == organizer
        assert FollowUp.objects.get().due_on == datetime.date(2026, 11, 27)

    def test_log_new_person_inline(self, client, login, organizer, congregation, housing):
        login(client, organizer)
        self.post(
            client,
            person="new",
            new_first_name="Rosa",
            new_last_name="Delgado",
            new_congregation=congregation.pk,
            held_on="2026-11-20",
            new_issue="Bus routes",
            follow_up="",
        )
        person = Person.objects.get(first_name="Rosa")
        assert person.memberships.get().congregation == congregation
        meeting = OneOnOne.objects.get(person=person)
        assert [i.name for i in meeting.issues.all()] == ["bus routes"]
        assert not FollowUp.objects.exists()

    def test_invalid_input_keeps_everything_typed(self, client, login, organizer, housing):
        login(client, organizer)
        response = self.post(
            client,
            person="new",
            new_first_name="",
            new_last_name="Delgado",
            held_on="2026-11-20",
            issues=[housing.pk],
            notes="A story worth keeping",
            follow_up="1m",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "first name" in html.lower() and "is-invalid" in html
        assert "A story worth keeping" in html and 'value="Delgado"' in html
        assert checked_radios(html, "follow_up") == ["1m"]  # not the default "2w"
        assert not OneOnOne.objects.exists() and not Person.objects.filter(last_name="Delgado")

    def test_nobody_chosen_is_a_form_error(self, client, login, organizer):
        response = self.post(login(client, organizer), held_on="2026-11-20")
        assert response.status_code == 200 and not OneOnOne.objects.exists()

    def test_someone_outside_scope_cannot_be_logged(self, client, login, organizer, stranger):
        response = self.post(login(client, organizer), person=stranger.pk, held_on="2026-11-20")
        assert response.status_code == 200 and not OneOnOne.objects.exists()

    def test_new_person_in_a_foreign_congregation_is_refused(
        self, client, login, organizer, other_congregation
    ):
        login(client, organizer)
        self.post(
            client,
            person="new",
            new_first_name="X",
            new_congregation=other_congregation.pk,
            held_on="2026-11-20",
        )
        assert not Person.objects.filter(first_name="X").exists()

    def test_future_date_is_refused(self, client, login, organizer, member):
        response = self.post(login(client, organizer), person=member.pk, held_on="2099-01-01")
        assert response.status_code == 200 and not OneOnOne.objects.exists()


def test_person_search_is_scoped(client, login, organizer, member, stranger):
    login(client, organizer)
    html = client.get(reverse("relationships:person_search") + "?q=Mar").content.decode()
    assert "Maria Santos" in html and "New person" in html
    html = client.get(reverse("relationships:person_search") + "?q=Zeb").content.decode()
    assert "Zebulon" not in html


def test_person_search_query_count_is_flat(
    client, login, organizer, congregation, django_assert_max_num_queries
):
    login(client, organizer)
    PersonFactory.create_batch(3, congregation=congregation, first_name="Marta")
    with django_assert_max_num_queries(6):
        client.get(reverse("relationships:person_search") + "?q=Mar")
    PersonFactory.create_batch(20, congregation=congregation, first_name="Marta")
    with django_assert_max_num_queries(6):
        client.get(reverse("relationships:person_search") + "?q=Mar")


def test_other_congregations_meetings_are_404(client, login, organizer, stranger):
    foreign = OneOnOneFactory(person=stranger, congregation=stranger.memberships.get().congregation)
    house = HouseMeetingFactory(congregation=stranger.memberships.get().congregation)
    follow_up = FollowUpFactory(person=stranger)
    login(client, organizer)
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(house.get_absolute_url()).status_code == 404
    assert client.get(reverse("home:person_practice", args=[stranger.pk])).status_code == 404
    url = reverse("relationships:follow_up_done", args=[follow_up.pk])
    assert client.post(url).status_code == 404  # someone else's follow-up
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_one_on_one_list_query_count_is_flat(
    client, login, organizer, member, housing, django_assert_max_num_queries
):
    login(client, organizer)
    for _ in range(3):
        OneOnOneFactory(author=organizer, person=member).issues.add(housing)
    with django_assert_max_num_queries(8):
        client.get(reverse("relationships:one_on_one_list"))
    for _ in range(30):
        OneOnOneFactory(author=organizer, person=member).issues.add(housing)
    with django_assert_max_num_queries(8):
        client.get(reverse("relationships:one_on_one_list"))


class TestFollowUps:
    @freeze_time("2026-11-25 15:00:00")
    def test_list_buckets_and_do_not_contact_flag(self, client, login, organizer, congregation):
        late = PersonFactory(congregation=congregation, first_name="Ana", do_not_contact=True)
        FollowUpFactory(owner=organizer, person=late, due_on=datetime.date(2026, 11, 23))
        FollowUpFactory(owner=organizer, due_on=datetime.date(2026, 11, 25))
        FollowUpFactory(owner=organizer, due_on=datetime.date(2026, 11, 30))
        FollowUpFactory(owner=organizer, due_on=datetime.date(2027, 1, 30))
        html = login(client, organizer).get(reverse("relationships:follow_up_list"))
        html = html.content.decode()
        assert "2 days late" in html and 'data-testid="dnc"' in html
        assert "1 more follow-up later." in html

    def test_complete_in_one_tap_with_htmx(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member)
        url = reverse("relationships:follow_up_done", args=[follow_up.pk])
        response = login(client, organizer).post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "follow-up-done" in response.content.decode()
        follow_up.refresh_from_db()
        assert follow_up.done_at is not None

    def test_complete_without_htmx_redirects(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member)
        url = reverse("relationships:follow_up_done", args=[follow_up.pk])
        response = login(client, organizer).post(url, {"next": "/"})
        assert response.status_code == 302 and response["Location"] == "/"

    def test_complete_never_redirects_off_site(self, client, login, organizer, member):
        follow_up = FollowUpFactory(owner=organizer, person=member)
        url = reverse("relationships:follow_up_done", args=[follow_up.pk])
        response = login(client, organizer).post(url, {"next": "https://evil.example/"})
        assert response["Location"] == reverse("relationships:follow_up_list")

    def test_list_query_count_is_flat(
        self, client, login, organizer, congregation, django_assert_max_num_queries
    ):
        login(client, organizer)
        FollowUpFactory.create_batch(2, owner=organizer, due_on=local_today())
        with django_assert_max_num_queries(8):
            client.get(reverse("relationships:follow_up_list"))
        FollowUpFactory.create_batch(25, owner=organizer, due_on=local_today())
        with django_assert_max_num_queries(8):
            client.get(reverse("relationships:follow_up_list"))


class TestHouseMeetings:
    def test_log_with_existing_and_new_attendees(
        self, client, login, organizer, congregation, member, housing
    ):
        login(client, organizer)
        response = client.post(
            reverse("relationships:house_meeting_new"),
            {
                "congregation": congregation.pk,
                "held_on": "2026-11-18",
                "attendees": [member.pk],
                "new_attendees": "Luz Ortiz\nSam",
                "issues": [housing.pk],
                "notes": "rent",
            },
        )
        meeting = HouseMeeting.objects.get()
        assert response.status_code == 302
        assert sorted(p.first_name for p in meeting.attendees.all()) == ["Luz", "Maria", "Sam"]
        timeline = client.get(reverse("home:person_practice", args=[member.pk]))
        assert congregation.name.replace("'", "&#x27;") in timeline.content.decode()

    def test_invalid_keeps_chosen_attendees(self, client, login, organizer, member):
        response = login(client, organizer).post(
            reverse("relationships:house_meeting_new"), {"attendees": [member.pk], "notes": "x"}
        )
        assert response.status_code == 200 and "Maria Santos" in response.content.decode()
        assert not HouseMeeting.objects.exists()

    def test_foreign_congregation_is_refused(self, client, login, organizer, other_congregation):
        response = login(client, organizer).post(
            reverse("relationships:house_meeting_new"),
            {"congregation": other_congregation.pk, "held_on": "2026-11-18"},
        )
        assert response.status_code == 200 and not HouseMeeting.objects.exists()

    def test_list_query_count_is_flat(
        self, client, login, organizer, congregation, housing, django_assert_max_num_queries
    ):
        login(client, organizer)
        for _ in range(2):
            HouseMeetingFactory(congregation=congregation).issues.add(housing)
        with django_assert_max_num_queries(8):
            client.get(reverse("relationships:house_meeting_list"))
        for _ in range(20):
            HouseMeetingFactory(congregation=congregation).issues.add(housing)
        with django_assert_max_num_queries(8):
            client.get(reverse("relationships:house_meeting_list"))


class TestListeningAndMap:
    def test_rollup_counts_by_month_and_congregation(
        self, client, login, organizer, congregation, member, housing
    ):
        wages = IssueHeardFactory(name="wages")
        for day, issues in [(3, [housing]), (20, [housing, wages])]:
            OneOnOneFactory(
                author=organizer,
                person=member,
                congregation=congregation,
                held_on=datetime.date(2026, 10, day),
                issues=issues,
            )
        HouseMeetingFactory(
            congregation=congregation, held_on=datetime.date(2026, 11, 2), issues=[housing]
        )
        with freeze_time("2026-11-25 15:00"):
            rollup = listening_rollup(organizer)
        rows = {row["issue"].name: row for row in rollup["rows"]}
        assert rows["housing"]["total"] == 3 and rows["wages"]["total"] == 1
        assert [n for _m, n in rows["housing"]["months"]] == [2, 1]
        assert rows["housing"]["congregations"] == [(congregation, 3)]
        with freeze_time("2026-11-25 15:00"):
            url = reverse("relationships:listening_meetings")
            html = login(client, organizer).get(f"{url}?issue={housing.pk}&month=2026-10-01")
        assert html.content.decode().count("Maria Santos") == 2

    def test_rollup_pivots_for_a_phone(self, network_organizer, congregation, housing):
        """Listening by congregation on a phone (issue 13, item 12): each congregation with its
        issues, and each issue with its congregations, most heard first; 37 columns no more."""
        wages = IssueHeardFactory(name="wages")
        temple = CongregationFactory(name="Temple Beth El")
        for where, issues in [
            (congregation, [housing]),
            (congregation, [housing, wages]),
            (temple, [wages]),
        ]:
            OneOnOneFactory(
                author=network_organizer,
                congregation=where,
                held_on=datetime.date(2026, 11, 2),
                issues=issues,
            )
        with freeze_time("2026-11-25 15:00"):
            rollup = listening_rollup(network_organizer)
        cards = {c["congregation"].name: c for c in rollup["by_congregation"]}
        assert cards[congregation.name]["total"] == 3
        assert cards[congregation.name]["issues"] == [(housing, 2), (wages, 1)]
        assert cards["Temple Beth El"]["issues"] == [(wages, 1)]
        rows = {row["issue"].name: row for row in rollup["rows"]}
        assert rows["wages"]["heard_most_in"] == [(congregation, 1), (temple, 1)]

    def test_rollup_never_counts_other_congregations(self, client, login, lead, stranger, housing):
        OneOnOneFactory(
            person=stranger,
            congregation=stranger.memberships.get().congregation,
            issues=[housing],
        )
        html = login(client, lead).get(reverse("relationships:listening")).content.decode()
        assert "housing" not in html

    @pytest.mark.parametrize("issue", ["999", "abc", ""])
    def test_drilldown_unknown_issue_is_404(self, client, login, organizer, issue):
        url = reverse("relationships:listening_meetings") + f"?issue={issue}&month=garbage"
        assert login(client, organizer).get(url).status_code == 404

    def test_bad_filters_are_form_errors_not_500(self, client, login, organizer):
        url = reverse("relationships:listening") + "?congregation=abc&since=notadate"
        assert login(client, organizer).get(url).status_code == 200
        assert client.get(reverse("relationships:map") + "?until=2026-13-45").status_code == 200

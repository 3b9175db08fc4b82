"""The relationship map: the network of congregations, one congregation, one person's network,
bridge people; JSON scoped to the user, flat query counts."""

import pytest
from django.urls import reverse

from congregations.models import Tradition
from relationships import network
from relationships.selectors import local_today
from tests.factories import CongregationFactory, PersonFactory, UserFactory

from .conftest import SECRET
from .factories import OneOnOneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bridges(congregation):
    """A leader of St. Mark's meets people of a temple, of another church and of St. Mark's; a
    staff organizer meets someone of the temple (their job, not a bridge)."""
    temple = CongregationFactory(name="Temple Beth El", slug="beth-el", tradition=Tradition.JEWISH)
    church = CongregationFactory(name="Grace Lutheran", slug="grace")
    leader_user = UserFactory(role="leader")
    leader_person = PersonFactory(
        user=leader_user, congregation=congregation, first_name="Ruth", last_name="Bridge"
    )
    today = local_today()
    targets = [
        PersonFactory(congregation=temple, first_name="Sam", last_name="Levi"),
        PersonFactory(congregation=church),
        PersonFactory(congregation=congregation),
    ]
    for target in targets:
        OneOnOneFactory(
            author=leader_user,
            author_person=leader_person,
            person=target,
            congregation=target.memberships.get().congregation,
            held_on=today,
        )
    staff = UserFactory(role="organizer")
    staff_person = PersonFactory(user=staff, congregation=congregation)
    OneOnOneFactory(
        author=staff,
        author_person=staff_person,
        person=PersonFactory(congregation=temple),
        congregation=temple,
        held_on=today,
    )
    return {"temple": temple, "church": church, "leader": leader_person, "targets": targets}


def test_network_view_weights_bridges_and_marks_interfaith(network_organizer, bridges):
    graph = network.network_view(network_organizer)
    assert len(graph["nodes"]) == 3
    assert graph["bridges"] == 2 and graph["interfaith_bridges"] == 1
    assert graph["staff_meetings"] == 1  # not drawn as a bridge
    assert all(e["strong"] for e in graph["edges"])  # two ties: both among the strongest
    interfaith = [e for e in graph["edges"] if e["interfaith"]]
    assert interfaith[0]["n"] == 1
    assert {interfaith[0]["source"], interfaith[0]["target"]} == {
        f"c{bridges['temple'].pk}",
        f"c{bridges['leader'].memberships.get().congregation_id}",
    }
    mine = next(n for n in graph["nodes"] if n["label"] == "St. Mark's AME Church")
    assert mine["within"] == 1


def test_bridge_people_rank_who_reaches_other_congregations(network_organizer, bridges):
    ranked = network.bridge_people(network_organizer)
    assert ranked[0]["pk"] == bridges["leader"].pk
    assert ranked[0]["congregations"] == 2 and ranked[0]["traditions"] == 1


def test_congregation_and_ego_views(network_organizer, congregation, bridges):
    graph = network.congregation_view(network_organizer, congregation)
    ids = {n["id"] for n in graph["nodes"]}
    assert f"p{bridges['leader'].pk}" in ids and f"c{bridges['temple'].pk}" in ids
    ego = network.ego_view(network_organizer, bridges["leader"])
    assert ego["people"] == 3 and len(ego["nodes"]) == 4
    assert any(e["interfaith"] for e in ego["edges"])


def test_a_scoped_organizer_sees_only_their_congregations(organizer, bridges):
    graph = network.network_view(organizer)
    assert [n["label"] for n in graph["nodes"]] == ["St. Mark's AME Church"]
    assert graph["edges"] == []
    ego = network.ego_view(organizer, bridges["leader"])
    names = {n["label"] for n in ego["nodes"]}
    assert "Sam Levi" not in names  # a temple member is outside the organizer's scope


def test_page_and_json_endpoints(client, login, network_organizer, congregation, bridges):
    login(client, network_organizer)
    page = client.get(reverse("relationships:map")).content.decode()
    assert "cytoscape.min.js" in page and reverse("relationships:map_bridges") in page
    bridges_html = client.get(reverse("relationships:map_bridges")).content.decode()
    assert 'data-testid="bridge-people"' in bridges_html and "Ruth Bridge" in bridges_html
    data = client.get(reverse("relationships:map_network")).json()
    assert data["view"] == "network" and len(data["nodes"]) == 3
    url = reverse("relationships:map_congregation", args=[congregation.slug])
    assert client.get(url).json()["view"] == "congregation"
    url = reverse("relationships:map_person", args=[bridges["leader"].pk])
    assert client.get(url).json()["title"] == "Ruth Bridge"
    page = client.get(reverse("relationships:map") + f"?person={bridges['leader'].pk}")
    assert url in page.content.decode()
    page = client.get(reverse("relationships:map") + f"?congregation={congregation.pk}")
    assert reverse("relationships:map_congregation", args=[congregation.slug]) in (
        page.content.decode()
    )
    found = client.get(reverse("relationships:map") + "?q=Ruth").content.decode()
    assert f"?person={bridges['leader'].pk}" in found


def test_invalid_input_is_not_a_500(client, login, network_organizer, bridges):
    login(client, network_organizer)
    assert client.get(reverse("relationships:map") + "?person=999999").status_code == 404
    assert client.get(reverse("relationships:map") + "?q=x&since=bad").status_code == 200
    # A NUL byte never reaches the view: conect.middleware.QueryGuardMiddleware answers 400.
    assert client.get(reverse("relationships:map") + "?q=%00x").status_code == 400
    url = reverse("relationships:map_network") + "?since=2026-99-01"
    assert client.get(url).status_code == 200
    url = reverse("relationships:map_congregation", args=["nowhere"])
    assert client.get(url).status_code == 404


def test_outside_scope_is_404(client, login, organizer, bridges, stranger):
    login(client, organizer)
    url = reverse("relationships:map_congregation", args=[bridges["temple"].slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("relationships:map_person", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("relationships:map") + f"?person={stranger.pk}").status_code == 404


@pytest.mark.parametrize("name", ["relationships:map_network", "relationships:map_bridges"])
def test_anonymous_and_wrong_method(client, login, organizer, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]
    assert login(client, organizer).post(reverse(name)).status_code == 405
    url = reverse("relationships:map_person", args=[1])
    assert client.post(url).status_code == 405


def test_query_counts_do_not_grow(
    client, login, network_organizer, congregation, bridges, django_assert_max_num_queries
):
    login(client, network_organizer)
    urls = [
        reverse("relationships:map"),
        reverse("relationships:map_network"),
        reverse("relationships:map_bridges"),
        reverse("relationships:map_congregation", args=[congregation.slug]),
        reverse("relationships:map_person", args=[bridges["leader"].pk]),
    ]
    counts = []
    client.get(urls[0])  # the unread badge's count is cached after the first page
    for _round in range(2):
        for url in urls:
            with django_assert_max_num_queries(12) as captured:
                client.get(url)
            counts.append(len(captured.captured_queries))
        for _ in range(10):  # more people, more congregations, more meetings
            other = CongregationFactory()
            OneOnOneFactory(
                author=bridges["leader"].user,
                author_person=bridges["leader"],
                person=PersonFactory(congregation=other),
                congregation=other,
                held_on=local_today(),
            )
    assert counts[5:] == counts[:5]


def test_only_the_strongest_ties_are_drawn_at_first(network_organizer, congregation):
    """Each congregation's three strongest ties are "strong"; a weak tie between two
    congregations that both have three stronger ones waits behind "show every tie"."""
    leader = UserFactory(role="leader")
    hubs = [CongregationFactory() for _ in range(2)]
    others = [CongregationFactory() for _ in range(3)]
    for hub in hubs:
        person = PersonFactory(user=None, congregation=hub)
        author = UserFactory(role="leader")
        person.user = author
        person.save()
        for other in others:
            for _ in range(5):
                OneOnOneFactory(
                    author=author,
                    author_person=person,
                    person=PersonFactory(congregation=other),
                    congregation=other,
                    held_on=local_today(),
                )
    person = PersonFactory(user=leader, congregation=hubs[0])
    OneOnOneFactory(
        author=leader,
        author_person=person,
        person=PersonFactory(congregation=hubs[1]),
        congregation=hubs[1],
        held_on=local_today(),
    )
    edges = network.network_view(network_organizer)["edges"]
    weak = [e for e in edges if not e["strong"]]
    assert [(e["source"], e["target"], e["n"]) for e in weak] == [
        (f"c{hubs[0].pk}", f"c{hubs[1].pk}", 1)
    ]


def test_json_never_carries_notes(client, login, network_organizer, private_meeting, member):
    login(client, network_organizer)
    congregation = private_meeting.congregation
    for url in (
        reverse("relationships:map_network"),
        reverse("relationships:map_bridges"),
        reverse("relationships:map_congregation", args=[congregation.slug]),
        reverse("relationships:map_person", args=[member.pk]),
    ):
        assert SECRET not in client.get(url).content.decode()

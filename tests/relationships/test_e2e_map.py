"""The relationship map on a phone (issue 13, item 8): the network of congregations draws with
the vendored Cytoscape.js, a tap on a congregation offers its people, a bridge person opens
their own network, and a pinch-zoom is possible (the canvas takes touch)."""

import pytest

from congregations.models import Tradition
from relationships.selectors import local_today
from tests.factories import CongregationFactory, PersonFactory, UserFactory

from .factories import OneOnOneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Two fingers on the map move apart in five steps (what a pinch-zoom sends as touch events).
PINCH = """(() => {
  const box = document.getElementById('map').querySelector('canvas:last-of-type')
    || document.getElementById('map');
  const r = box.getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const touches = d => [0, 1].map(i => new Touch({identifier: i, target: box,
    clientX: cx + (i ? d : -d), clientY: cy, pageX: cx + (i ? d : -d), pageY: cy}));
  const send = (type, d) => box.dispatchEvent(new TouchEvent(type, {bubbles: true,
    cancelable: true, touches: type === 'touchend' ? [] : touches(d),
    targetTouches: type === 'touchend' ? [] : touches(d), changedTouches: touches(d)}));
  send('touchstart', 20);
  for (let d = 30; d <= 120; d += 20) { send('touchmove', d); }
  send('touchend', 120);
})()"""


def test_map_network_congregation_and_ego_on_a_phone(phone, sign_in, screenshot, admin_user):
    congregations = [CongregationFactory(name=f"Church {n:02}") for n in range(6)]
    congregations.append(CongregationFactory(name="Temple Beth El", tradition=Tradition.JEWISH))
    author = UserFactory(role="leader")
    ruth = PersonFactory(
        user=author, congregation=congregations[0], first_name="Ruth", last_name="Bridge"
    )
    for congregation in congregations:
        OneOnOneFactory(
            author=author,
            author_person=ruth,
            person=PersonFactory(congregation=congregation),
            congregation=congregation,
            held_on=local_today(),
        )
    sign_in(phone, admin_user)
    phone.goto("/relationships/map/")
    phone.wait_for_selector("#map[data-ready='1']")
    assert "7 congregations" in phone.get_by_test_id("map-summary").inner_text()
    assert phone.evaluate("window.conectMap.nodes().length") == 7
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "map-network-phone")

    # A tap on a congregation node offers its people. The function returns nothing: emit()
    # returns the node, and Playwright serializing a Cytoscape collection (the whole graph hangs
    # off it) took 30 s of this test's 40.
    node = congregations[6].pk
    phone.evaluate(f"() => {{ window.conectMap.getElementById('c{node}').emit('tap'); }}")
    phone.get_by_role("link", name="Its people").click()
    phone.wait_for_selector("#map[data-ready='1']")
    assert phone.get_by_test_id("map-focus").inner_text() == "Temple Beth El"

    # A bridge person, from the ranked list, opens their own network.
    phone.goto("/relationships/map/")
    phone.get_by_test_id("bridge-people").get_by_role("link", name="Ruth Bridge").click()
    phone.wait_for_selector("#map[data-ready='1']")
    assert phone.evaluate("window.conectMap.nodes().length") == 8
    screenshot(phone, "map-ego-phone")
    # A pinch: two touch points moving apart over the canvas zoom in, around the pinch.
    zoom = phone.evaluate("window.conectMap.zoom()")
    phone.evaluate(PINCH)
    assert phone.evaluate("window.conectMap.zoom()") > zoom

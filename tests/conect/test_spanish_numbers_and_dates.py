"""Spanish pages keep their charts (issue 12): every number in an SVG (or a progress bar) is
written the way SVG reads it, with a decimal point, whatever the language's own number format."""

import re
from html.parser import HTMLParser

import pytest

from actions.models import Action
from campaigns.models import Campaign
from congregations.models import Congregation
from members.models import ImportJob, User

pytestmark = pytest.mark.django_db

NUMBER = r"-?\d+(?:\.\d+)?"
PLAIN = {
    "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "font-size",
    "stroke-width", "refx", "refy", "markerwidth", "markerheight", "max", "value",
}  # fmt: skip
PATTERNS = {
    "viewbox": re.compile(rf"{NUMBER}(?: {NUMBER}){{3}}"),
    "transform": re.compile(rf"translate\({NUMBER},\s*{NUMBER}\)"),
}


class Numbers(HTMLParser):
    """Collects (tag, attribute, value) for each numeric attribute in <svg> and <progress>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.depth += 1
        if self.depth or tag == "progress":
            self.found += [(tag, k, v or "") for k, v in attrs if k in PLAIN or k in PATTERNS]

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1


def unreadable(html: str) -> tuple[list, int]:
    parser = Numbers()
    parser.feed(html)
    bad = []
    for tag, name, value in parser.found:
        pattern = PATTERNS.get(name, re.compile(NUMBER))
        if not pattern.fullmatch(value.strip()):
            bad.append((tag, name, value))
    return bad, len(parser.found)


def chart_pages() -> list[tuple[str, str]]:
    """(who, path) for every page that draws a chart, with the seeded demo's data."""
    action = (
        Action.objects.filter(pledges__isnull=False, attendances__checked_in_at__isnull=False)
        .distinct()
        .first()
    )
    job = ImportJob.objects.create(
        created_by=User.objects.get(email="admin@conect.example"),
        filename="big.csv",
        content="x",
        total_rows=12_345,
        processed_rows=6_789,
    )
    return [
        ("admin", "/dues/"),
        ("admin", "/actions/reports/"),
        ("admin", f"/actions/{action.pk}/"),
        ("admin", f"/actions/turnout/{Congregation.objects.first().slug}/"),
        ("admin", f"/campaigns/{Campaign.objects.first().pk}/"),
        ("admin", "/reports/one-on-ones-over-time/"),  # the map itself is drawn from JSON
        ("organizer", "/"),
        ("leader", "/"),
        ("admin", job.get_absolute_url()),
    ]


def test_every_chart_number_parses_in_spanish(client, demo_network):
    problems, checked, decimals = {}, 0, 0
    for who, path in chart_pages():
        client.force_login(User.objects.get(email=f"{who}@conect.example"))
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert response["Content-Language"] == "es", path
        bad, found = unreadable(html)
        assert found, f"{path} draws no chart"
        checked += found
        decimals += len(re.findall(r'="\d+\.\d+"', html))
        if bad:
            problems[path] = bad[:5]
    assert not problems, problems
    assert checked > 300 and decimals > 20  # the demo's charts really have fractional numbers


def test_the_check_sees_a_decimal_comma():
    bad, _found = unreadable('<svg viewBox="0 0 3,5 9"><rect x="3,0" y="1"/></svg>')
    assert [name for _tag, name, _value in bad] == ["viewbox", "x"]


WEEKDAY_ES = "(lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
WEEKDAY_EN = "(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("es", WEEKDAY_ES + r" \d{1,2} de [a-z]+ de 20\d\d, \d\d:\d\d – \d\d:\d\d"),
        ("en", WEEKDAY_EN + r", [A-Z][a-z]+\.? \d{1,2}, 20\d\d, \d{1,2}(:\d\d)? [ap]\.m\. – \d"),
    ],
)
def test_an_actions_time_is_written_in_the_languages_order(client, admin_user, language, written):
    from tests.campaigns.factories import ActionFactory

    action = ActionFactory()
    client.force_login(admin_user)
    html = client.get(f"/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(written, html), html[html.find("<main") : html.find("<main") + 600]

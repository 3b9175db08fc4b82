"""The directory at a million people (issue 16): the same page, built with less work.

The filter form's selects are written in Python (members.templatetags.directory), the rows are
plain values (members.selectors.directory_rows), the bounded count is unordered. Each test here
fails against the code before that change; the markup and escaping checks pin what must not
change with it.
"""

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congregations.models import Membership
from members.models import Person, Tag
from members.selectors import directory_rows, people_visible_to
from tests.factories import CongregationFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:person_list")


def test_filter_form_renders_no_widget_or_bootstrap_templates(client, login, organizer):
    response = login(client, organizer).get(LIST)
    used = {template.name for template in response.templates}
    assert "members/person_list.html" in used
    assert not {name for name in used if name and name.startswith("django/forms/widgets/")}
    assert not {name for name in used if name and name.startswith("django_bootstrap5/")}


def test_filter_selects_keep_their_markup_choice_and_escaping(
    client, login, organizer, congregation
):
    congregation.name = "St. Ann's <b>Parish</b>"
    congregation.save()
    tag = Tag.objects.create(name='choir "A"')
    body = login(client, organizer).get(LIST, {"congregation": congregation.pk, "tag": tag.pk})
    html = body.content.decode()
    assert (
        '<label class="form-label" for="id_congregation">Congregation</label>'
        '<select name="congregation" class="form-select form-select-sm" id="id_congregation">'
    ) in html
    assert '<option value="">All congregations</option>' in html
    assert (
        f'<option value="{congregation.pk}" selected>St. Ann&#x27;s &lt;b&gt;Parish&lt;/b&gt;'
        "</option>"
    ) in html
    assert f'<option value="{tag.pk}" selected>choir &quot;A&quot;</option>' in html
    assert '<option value="name" selected>Last name</option>' not in html  # no sort asked
    assert "<b>Parish</b>" not in html


def test_filter_errors_are_shown_and_announced(client, login, organizer):
    html = login(client, organizer).get(LIST, {"level": "nope"}).content.decode()
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_level_error"' in html
    assert '<div id="id_level_error" class="w-100"><div class="invalid-feedback d-block">' in html
    assert "nope is not one of the available choices" in html
    assert '<details class="filters" open>' in html


def test_filter_text_field_keeps_value_escaped(client, login, organizer):
    html = login(client, organizer).get(LIST, {"town": 'a"<b>'}).content.decode()
    assert 'value="a&quot;&lt;b&gt;"' in html
    assert 'class="form-control form-control-sm"' in html


def test_directory_builds_no_person_instances(client, login, organizer, congregation):
    for person in PersonFactory.create_batch(5, congregation=congregation):
        person.tags.add(Tag.objects.get_or_create(name="youth")[0])
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Person)
    try:
        response = login(client, organizer).get(LIST)
    finally:
        post_init.disconnect(count, sender=Person)
    assert response.status_code == 200
    assert response.content.decode().count('class="list-group-item"') == 5
    assert built == []


def test_directory_rows_show_the_same_details(organizer, congregation):
    second = CongregationFactory(name="Second <Church>")
    ana = PersonFactory(
        congregation=congregation, first_name="Ana", last_name="Ruiz", town="Hartford"
    )
    Membership.objects.create(person=ana, congregation=second, is_primary=False)
    ana.tags.add(Tag.objects.create(name="youth"), Tag.objects.create(name="choir"))
    solo = PersonFactory(first_name="Solo", last_name="", town="")
    people = Person.objects.filter(pk__in=[ana.pk, solo.pk]).order_by("first_name")
    rows = directory_rows(people)
    assert [row["name"] for row in rows] == ["Ana Ruiz", "Solo"]
    assert rows[0]["url"] == ana.get_absolute_url() and rows[1]["url"] == solo.get_absolute_url()
    assert rows[0]["congregations"] == [congregation.name]  # the primary one only
    assert rows[0]["tags"] == ["choir", "youth"]
    assert rows[0]["level_label"] == ana.get_level_display()
    assert rows[1]["congregations"] == [] and rows[1]["tags"] == []
    assert directory_rows(Person.objects.none()) == []


def test_directory_row_shows_badges_and_escapes(client, login, organizer, congregation):
    from django.utils import timezone

    PersonFactory(
        congregation=congregation,
        first_name="<i>Gone</i>",
        town="<u>Town</u>",
        do_not_contact=True,
        archived_at=timezone.now(),
    ).tags.add(Tag.objects.create(name="<s>tag</s>"))
    html = login(client, organizer).get(LIST, {"status": "all"}).content.decode()
    assert "&lt;i&gt;Gone&lt;/i&gt;" in html and "<i>Gone" not in html
    assert "&lt;u&gt;Town&lt;/u&gt;" in html and "&lt;s&gt;tag&lt;/s&gt;" in html
    assert ">archived</span>" in html and ">do not contact</span>" in html


def test_bounded_count_is_not_ordered(client, login, organizer, congregation):
    PersonFactory.create_batch(3, congregation=congregation)
    login(client, organizer)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"sort": "town"})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"].upper()]
    people_counts = [sql for sql in counts if "members_person" in sql]
    assert people_counts and all("ORDER BY" not in sql.upper() for sql in people_counts)


def test_bounded_count_still_counts_the_filtered_list(client, login, organizer, congregation):
    PersonFactory.create_batch(3, congregation=congregation, town="Hartford")
    PersonFactory(congregation=congregation, town="Bridgeport")
    html = login(client, organizer).get(LIST, {"town": "hartford"}).content.decode()
    assert 'data-testid="result-count">3<' in html
    assert people_visible_to(organizer).count() == 4


def _person_counts(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and '"members_person"' in q["sql"]
    ]


def test_a_search_reads_its_page_and_count_in_one_query(client, login, organizer, congregation):
    for n in range(3):
        PersonFactory(congregation=congregation, first_name=f"Ana{n}", last_name="Smithers")
    PersonFactory(congregation=congregation, first_name="Tom", last_name="Jones")
    login(client, organizer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LIST, {"q": "smith"}).content.decode()
    assert 'data-testid="result-count">3<' in html and "Jones" not in html
    windowed = [sql for sql in _person_counts(queries) if "OVER" in sql.upper()]
    assert len(_person_counts(queries)) == 1 and len(windowed) == 1
    # A short word is no search of the trigram indexes: the bounded count as before.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LIST, {"q": "sm"}).content.decode()
    assert 'data-testid="result-count">3<' in html
    assert not [sql for sql in _person_counts(queries) if "OVER" in sql.upper()]


def test_a_search_page_past_the_end_shows_the_last_page(client, login, organizer, congregation):
    for n in range(3):
        PersonFactory(congregation=congregation, first_name=f"Ana{n}", last_name="Smithers")
    login(client, organizer)
    for page in ("99", "x", "-3"):
        html = client.get(LIST, {"q": "smith", "page": page}).content.decode()
        assert html.count('class="list-group-item"') == 3, page
    html = client.get(LIST, {"q": "nobody-like-this"}).content.decode()
    assert 'data-testid="result-count">0<' in html and "Nobody matches." in html


def test_counted_paginator_keeps_the_bound(organizer, congregation):
    from members.pagination import CountedPaginator
    from members.selectors import DIRECTORY_FIELDS

    for n in range(5):
        PersonFactory(congregation=congregation, first_name=f"P{n}")
    people = Person.objects.order_by("first_name").values(*DIRECTORY_FIELDS)
    paginator = CountedPaginator(people, 2, bound=3)
    page = paginator.get_page(1)
    assert paginator.count == 3 and paginator.is_bounded and paginator.num_pages == 2
    assert [row["first_name"] for row in page] == ["P0", "P1"]
    last = CountedPaginator(people, 2, bound=3).get_page(9)
    assert last.number == 2 and [row["first_name"] for row in last] == ["P2", "P3"]
    exact = CountedPaginator(people, 2, bound=10)
    assert [row["first_name"] for row in exact.get_page(3)] == ["P4"]
    assert exact.count == 5 and not exact.is_bounded

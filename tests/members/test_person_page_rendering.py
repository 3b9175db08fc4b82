"""The person page and its practice panel at a million people (issue 16): the same page with
fewer templates (the ladder move's fields in Python, no included template per one-on-one), and
a bounded panel for a person with hundreds of meetings."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.relationships.factories import IssueHeardFactory, OneOnOneFactory

pytestmark = pytest.mark.django_db


def test_person_page_ladder_form_renders_no_bootstrap_or_widget_templates(
    client, login, organizer, congregation
):
    person = PersonFactory(congregation=congregation, level="participant")
    response = login(client, organizer).get(person.get_absolute_url())
    used = {template.name or "" for template in response.templates}
    assert not {name for name in used if name.startswith(("django_bootstrap5/", "django/forms/"))}
    html = response.content.decode()
    assert '<label class="form-label" for="id_to_level">' in html
    assert '<option value="participant" selected>' in html
    assert 'name="reason"' in html and " required" in html and 'maxlength="500"' in html


def test_practice_panel_has_no_template_per_meeting_and_keeps_the_issues(
    client, login, organizer, congregation
):
    person = PersonFactory(congregation=congregation)
    housing = IssueHeardFactory(name="<b>housing</b>")
    for _ in range(3):
        OneOnOneFactory(
            author=organizer, person=person, congregation=congregation, issues=[housing]
        )
    response = login(client, organizer).get(reverse("home:person_practice", args=[person.pk]))
    assert "relationships/_meeting_issues.html" not in {t.name for t in response.templates}
    html = response.content.decode()
    assert html.count('<span class="badge rounded-pill text-bg-light border">') == 3
    assert "&lt;b&gt;housing&lt;/b&gt;" in html and "<b>housing" not in html


def test_practice_panel_is_bounded(
    client, login, organizer, congregation, django_assert_max_num_queries
):
    person = PersonFactory(congregation=congregation)
    login(client, organizer)
    url = reverse("home:person_practice", args=[person.pk])
    OneOnOneFactory(author=organizer, person=person, congregation=congregation)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    OneOnOneFactory.create_batch(
        30, author=organizer, person=person, congregation=congregation, issues=[IssueHeardFactory()]
    )
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("<li><a href=") == 20  # the latest 20 one-on-ones

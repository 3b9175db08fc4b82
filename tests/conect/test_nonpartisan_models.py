"""CONECT is non-partisan: no model, in any app, has a candidate, party or vote-choice field."""

import re

from django.apps import apps

FORBIDDEN = re.compile(
    r"party|parties|partido|candidat|vote_choice|vote choice|voted_for|voted for|endorse|"
    r"ballot_choice|democrat|republican",
    re.IGNORECASE,
)


def _fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            names = [field.name, str(getattr(field, "verbose_name", ""))]
            yield model._meta.label, names


def test_no_model_field_names_a_party_a_candidate_or_a_vote_choice():
    offending = [
        f"{label}.{names[0]}"
        for label, names in _fields()
        if any(FORBIDDEN.search(n) for n in names)
    ]
    assert offending == []


def test_the_check_would_catch_one():
    assert (
        FORBIDDEN.search("voted_for")
        and FORBIDDEN.search("Party")
        and FORBIDDEN.search("candidate")
    )
    assert not FORBIDDEN.search("pledged") and not FORBIDDEN.search("registration status")

"""Move the staff-typed free-text `Person.ethnicity` into `Demographics`.

Kept as the person's own words (`self_described`), with the list's groups its words clearly name,
and without consent (`consented_on` empty): nobody asked the person, so the row is counted in no
report and staff see it as "ask to confirm" until the person agrees or it is deleted."""

import re

from django.db import migrations

# Words in what staff typed → the documented list's codes (members.models.RaceEthnicity).
WORDS = {
    "latino": r"latin|hispan|puerto|boricua|dominican|mexican|colombian|salvador|guatemal|"
    r"ecuador|peruvian|honduran|cuban",
    "black": r"black|african|afro",
    "caribbean": r"caribbean|west indian|jamaican|haitian|trinidad",
    "white": r"white|caucasian|irish|italian|polish|european",
    "asian": r"\basian|chinese|vietnam|korean|japanese|filipin|cambodian|hmong",
    "south_asian": r"south asian|\bindian\b|pakistan|bangladesh|sikh|punjabi|nepal|sri lank",
    "mena": r"arab|middle east|lebanese|syrian|egyptian|iraqi|palestin|moroccan|yemen",
    "american_indian": r"native american|american indian|indigenous|alaska native",
    "pacific_islander": r"pacific island|hawaiian|samoan",
}
GROUP_ORDER = list(WORDS)


def _groups(text: str) -> list[str]:
    folded = text.lower()
    return [code for code in GROUP_ORDER if re.search(WORDS[code], folded)]


def _equity_group(groups: list[str], text: str) -> str:
    if len(groups) == 1:
        return groups[0]
    if groups:
        return "multiple"
    return "self_described" if text.strip() else ""


def forwards(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    Demographics = apps.get_model("members", "Demographics")
    rows = []
    for pk, text in Person.objects.exclude(ethnicity="").values_list("pk", "ethnicity").iterator():
        groups = _groups(text)
        rows.append(
            Demographics(
                person_id=pk,
                groups=groups,
                self_described=text.strip()[:100],
                equity_group=_equity_group(groups, text),
                consented_on=None,
            )
        )
    Demographics.objects.bulk_create(rows, batch_size=2000)


def backwards(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    Demographics = apps.get_model("members", "Demographics")
    for row in Demographics.objects.exclude(self_described="").iterator():
        Person.objects.filter(pk=row.person_id).update(ethnicity=row.self_described)


class Migration(migrations.Migration):
    dependencies = [("members", "0012_demographics_and_voter_registration")]

    operations = [migrations.RunPython(forwards, backwards)]

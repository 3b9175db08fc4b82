"""Merging two records of one person who both told us something for CONECT's values: one row
each is allowed (one-to-one), so before the merge moves related rows, the one to keep is
chosen here and the other deleted. Consent wins over no consent, then the latest answer."""

from .models import Demographics, Person, VoterRegistration


def keep_one_answer_each(*, survivor: Person, duplicate: Person) -> list[str]:
    """Delete the weaker of two rows per one-to-one values model; returns the models that had
    two (for the merge's audit row)."""
    resolved = []
    both = Demographics.objects.filter(person__in=[survivor, duplicate])
    if both.count() == 2:
        kept = max(both, key=lambda row: (row.consented_on is not None, row.updated_at, row.pk))
        both.exclude(pk=kept.pk).delete()
        resolved.append(Demographics._meta.label)
    answers = VoterRegistration.objects.filter(person__in=[survivor, duplicate])
    if answers.count() == 2:
        latest = max(answers, key=lambda row: (row.asked_on, row.pk))
        answers.exclude(pk=latest.pk).delete()
        resolved.append(VoterRegistration._meta.label)
    return resolved

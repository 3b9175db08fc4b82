"""Finding people who are probably the same person.

The import's rules (same email; same phone + last name; same first + last name + ZIP) plus a
fuzzy rule inside a congregation: same last name and a first name one edit apart (or the other
way round), or the very same name. Everything is hashing, no pairwise comparison over the whole
table: a name one edit away from another shares one of its "one letter deleted" variants, so
candidates meet in the same bucket. Linear in the number of people.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conect.normalize import name_key
from congregations.models import Membership

from .models import NotDuplicate

REASONS = {
    "email": _("same email"),
    "phone": _("same phone and last name"),
    "name_zip": _("same name and ZIP code"),
    "name": _("same name in the same congregation"),
    "fuzzy": _("similar name in the same congregation"),
}
MAX_BUCKET = 200  # a bucket this big is a common name, not a duplicate signal


@dataclass
class Pair:
    first_id: int
    second_id: int
    reasons: set = field(default_factory=set)

    @property
    def reason_labels(self) -> list:
        return [REASONS[reason] for reason in sorted(self.reasons)]


def _variants(key: str) -> set[str]:
    """The key itself and every way of deleting one character from it."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))} if len(key) > 3 else {key}


def find_pairs(rows: Iterable[tuple], congregations: dict[int, set]) -> list[Pair]:
    """rows: (id, first_name, last_name, email, phone, zip); congregations: id → their
    congregation ids. Returns candidate pairs, lowest id first, sorted."""
    buckets: dict[tuple, list[int]] = defaultdict(list)
    by_congregation: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for person_id, first, last, email, phone, zip_code in rows:
        first_key, last_key = name_key(first), name_key(last)
        if email:
            buckets[("email", email.lower())].append(person_id)
        if phone and last_key:
            buckets[("phone", phone, last_key)].append(person_id)
        if zip_code and first_key and last_key:
            buckets[("name_zip", first_key, last_key, zip_code[:5])].append(person_id)
        if first_key and last_key:
            for congregation_id in congregations.get(person_id, ()):
                by_congregation[congregation_id].append((person_id, first_key, last_key))

    pairs: dict[tuple[int, int], Pair] = {}

    def add(a: int, b: int, reason: str) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        pairs.setdefault(key, Pair(*key)).reasons.add(reason)

    def pair_up(groups, reason: str, differ: bool = False) -> None:
        for members in groups:
            if 1 < len(members) <= MAX_BUCKET:
                for i, (a, a_key) in enumerate(members):
                    for b, b_key in members[i + 1 :]:
                        if not differ or a_key != b_key:  # identical names: the "name" rule
                            add(a, b, reason)

    for key, ids in buckets.items():
        pair_up([[(person_id, None) for person_id in ids]], key[0])
    # One congregation at a time keeps memory to the largest congregation, not the network.
    for people in by_congregation.values():
        by_last: dict[str, list] = defaultdict(list)
        by_first: dict[str, list] = defaultdict(list)
        for person_id, first_key, last_key in people:
            by_last[last_key].append((person_id, first_key))
            by_first[first_key].append((person_id, last_key))
        # Same last name: identical first names, or one edit apart (shared deletion variant).
        # Same first name: last names one edit apart. Singletons cost nothing.
        for blocks, exact in ((by_last, True), (by_first, False)):
            for block in blocks.values():
                if len(block) < 2:
                    continue
                if exact:
                    same: dict[str, list] = defaultdict(list)
                    for person_id, key in block:
                        same[key].append((person_id, None))
                    pair_up(same.values(), "name")
                variants: dict[str, list] = defaultdict(list)
                for person_id, key in block:
                    for variant in _variants(key):
                        variants[variant].append((person_id, key))
                pair_up(variants.values(), "fuzzy", differ=True)
    return sorted(pairs.values(), key=lambda pair: (pair.first_id, pair.second_id))


def find_pairs_among(people: QuerySet) -> list[Pair]:
    """Candidate pairs among `people` (already scoped by the caller): two queries."""
    rows = list(people.values_list("id", "first_name", "last_name", "email", "phone", "zip"))
    congregations: dict[int, set] = defaultdict(set)
    memberships = Membership.objects.filter(person__in=people.values("pk")).values_list(
        "person_id", "congregation_id"
    )
    for person_id, congregation_id in memberships.iterator(chunk_size=10_000):
        congregations[person_id].add(congregation_id)
    dismissed = set(NotDuplicate.objects.values_list("first_id", "second_id"))
    pairs = find_pairs(rows, congregations)
    return [pair for pair in pairs if (pair.first_id, pair.second_id) not in dismissed]

"""Finding people who are probably the same person.

The import's rules (same email; same phone + last name; same first + last name + ZIP) plus a
fuzzy rule inside a congregation: same last name and a first name one edit apart (or the other
way round), or the very same name. Everything is blocking, no pairwise comparison over the whole
table: a name one edit away from another shares one of its "one letter deleted" variants, so
candidates meet in the same bucket, and a bucket of more than MAX_BUCKET people (a common name,
not a duplicate signal) is skipped, which bounds the work per bucket.

`duplicates_refresh` runs the rules over the whole network and stores the pairs in
DuplicatePair, which the queue reads. On PostgreSQL the scan is set-based SQL (keys computed in
the database, buckets by GROUP BY/window counts, pairs by a self-join per bucket, one INSERT …
SELECT of the pairs): no row goes through Python. Elsewhere (SQLite in development) the same
rules run in Python (`find_pairs`), which is also the reference the SQL is tested against.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.normalize import _APOSTROPHES, name_key
from congregations.models import Membership

from .models import DuplicatePair, NotDuplicate, Person

REASONS = {
    "email": _("same email"),
    "phone": _("same phone and last name"),
    "name_zip": _("same name and ZIP code"),
    "name": _("same name in the same congregation"),
    "fuzzy": _("similar name in the same congregation"),
}
# Blocking bounds. A shared email or phone in a bucket of up to MAX_BUCKET people is still a
# signal; a name shared by more than MAX_NAME_BUCKET people in one congregation (or one ZIP)
# is a common name there, not a duplicate signal, and pairing them all is quadratic noise (at
# 1,000,000 people with the demo's name pools, a bound of 200 gave 20 million "pairs").
MAX_BUCKET = 200
MAX_NAME_BUCKET = 5
LIMITS = {"email": MAX_BUCKET, "phone": MAX_BUCKET, "name_zip": MAX_NAME_BUCKET}
LIMITS |= {"name": MAX_NAME_BUCKET, "fuzzy": MAX_NAME_BUCKET}
# DuplicatePair.reasons: one bit per rule, the strongest rule the highest bit, so that ordering
# by the mask puts pairs sharing an email before pairs sharing only a similar name.
REASON_BITS = {"email": 16, "phone": 8, "name_zip": 4, "name": 2, "fuzzy": 1}


def reasons_of(mask: int) -> list[str]:
    """The rules in a DuplicatePair.reasons mask, strongest first."""
    return [reason for reason, bit in REASON_BITS.items() if mask & bit]


def reason_labels(mask: int) -> list:
    return [REASONS[reason] for reason in reasons_of(mask)]


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
            if 1 < len(members) <= LIMITS[reason]:
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


def pairs_among(people: QuerySet[Person], *, sort: str = "strongest") -> QuerySet[DuplicatePair]:
    """Stored pairs whose two people are both among `people` (already scoped by the caller),
    strongest first (then newest) or newest first (then strongest)."""
    order = (
        ("-newest_at", "-reasons", "-id") if sort == "newest" else ("-reasons", "-newest_at", "-id")
    )
    ids = people.values("pk")
    return DuplicatePair.objects.filter(first__in=ids, second__in=ids).order_by(*order)


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


# --- The stored scan -----------------------------------------------------------------------

# name_key in SQL: accents off (the Latin letters the directory holds), apostrophes dropped,
# hyphens, dots and commas as spaces, runs of white space as one, trimmed, lower case.
_ACCENTED = "áàâäãåçéèêëíìîïñóòôöõøúùûüýÿÁÀÂÄÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØÚÙÛÜÝ"
_PLAIN = "aaaaaaceeeeiiiinoooooouuuuyyAAAAAACEEEEIIIINOOOOOOUUUUY"
assert len(_ACCENTED) == len(_PLAIN)


def _key_sql(column: str) -> str:
    source = (_ACCENTED + "-.,\u00a0" + _APOSTROPHES).replace("'", "''")
    target = _PLAIN + "    "  # the apostrophes have no counterpart: translate() drops them
    return (
        f"lower(btrim(regexp_replace(translate({column}, '{source}', '{target}'), "
        f"'\\s+', ' ', 'g')))"
    )


_SCAN_SQL = [
    # ON COMMIT DROP cleans up after a committed scan; a scan inside a longer transaction (the
    # seeder's, a test's) must not meet the previous scan's tables.
    "DROP TABLE IF EXISTS dup_name, dup_person, dup_hit, dup_member, dup_pair",
    # The key of every distinct name, computed once per name rather than once per person.
    # (The f-string only inlines this module's constant character lists: no input.)
    f"""CREATE TEMP TABLE dup_name ON COMMIT DROP AS
    SELECT raw, {_key_sql("raw")} AS key
    FROM (SELECT first_name AS raw FROM members_person
          UNION SELECT last_name FROM members_person) names""",  # noqa: S608
    "ANALYZE dup_name",
    # One row per person with its keys.
    """CREATE TEMP TABLE dup_person ON COMMIT DROP AS
    SELECT p.id, f.key AS fk, l.key AS lk, lower(p.email) AS em, p.phone, left(p.zip, 5) AS z,
           p.created_at
    FROM members_person p
    JOIN dup_name f ON f.raw = p.first_name
    JOIN dup_name l ON l.raw = p.last_name""",
    "ANALYZE dup_person",
    "CREATE TEMP TABLE dup_hit (a bigint NOT NULL, b bigint NOT NULL, bit smallint NOT NULL) "
    "ON COMMIT DROP",
    # The network-wide rules: a bucket is a GROUP BY of the rule's key; every pair inside a
    # small bucket is a candidate.
    """INSERT INTO dup_hit
    WITH buckets AS (
        SELECT 16 AS bit, array_agg(id) AS ids FROM dup_person WHERE em <> ''
        GROUP BY em HAVING count(*) BETWEEN 2 AND %(max)s
        UNION ALL
        SELECT 8, array_agg(id) FROM dup_person WHERE phone <> '' AND lk <> ''
        GROUP BY phone, lk HAVING count(*) BETWEEN 2 AND %(max)s
        UNION ALL
        SELECT 4, array_agg(id) FROM dup_person WHERE z <> '' AND fk <> '' AND lk <> ''
        GROUP BY fk, lk, z HAVING count(*) BETWEEN 2 AND %(names)s
    )
    SELECT x, y, bit FROM buckets, unnest(ids) AS x, unnest(ids) AS y WHERE x < y""",
    # Inside a congregation. A person whose very name is shared by more than MAX_NAME_BUCKET
    # people there is in no small bucket of either congregation rule (every bucket holding
    # them holds all those namesakes), so only people with a rarer name go further.
    """CREATE TEMP TABLE dup_member ON COMMIT DROP AS
    WITH named AS (
        SELECT m.congregation_id AS c, p.lk, p.fk, array_agg(DISTINCT p.id) AS ids
        FROM congregations_membership m JOIN dup_person p ON p.id = m.person_id
        WHERE p.fk <> '' AND p.lk <> ''
        GROUP BY m.congregation_id, p.lk, p.fk
        HAVING count(DISTINCT p.id) <= %(names)s
    )
    SELECT id, c, fk, lk, cardinality(ids) AS n FROM named, unnest(ids) AS id""",
    "ANALYZE dup_member",
    # The same name: bucket (congregation, last, first).
    """INSERT INTO dup_hit
    WITH buckets AS (
        SELECT array_agg(id) AS ids FROM dup_member WHERE n >= 2 GROUP BY c, lk, fk
    )
    SELECT x, y, 2 FROM buckets, unnest(ids) AS x, unnest(ids) AS y WHERE x < y""",
    # Names one edit apart: bucket (congregation, the other name, a variant of this one); a
    # variant is the key or the key with one letter deleted, one row per distinct variant.
    """INSERT INTO dup_hit
    WITH sides AS (
        SELECT id, c, 1 AS side, lk AS block, fk AS key FROM dup_member
        UNION ALL
        SELECT id, c, 2, fk, lk FROM dup_member
    ), variants AS (
        SELECT id, c, side, block, key, key AS v FROM sides
        UNION ALL
        SELECT id, c, side, block, key, substr(key, 1, i - 1) || substr(key, i + 1)
        FROM sides CROSS JOIN LATERAL generate_series(1, length(key)) AS i
        WHERE length(key) > 3 AND (i = length(key) OR substr(key, i, 1) <> substr(key, i + 1, 1))
    ), buckets AS (
        SELECT array_agg(id) AS ids, array_agg(key) AS keys FROM variants
        GROUP BY c, side, block, v HAVING count(*) BETWEEN 2 AND %(names)s
    )
    SELECT x.id, y.id, 1
    FROM buckets, unnest(ids, keys) AS x(id, key), unnest(ids, keys) AS y(id, key)
    WHERE x.id < y.id AND x.key <> y.key""",
    # The pairs, rules OR-ed together, dismissed pairs left out.
    """CREATE TEMP TABLE dup_pair ON COMMIT DROP AS
    SELECT a, b, bit_or(bit) AS reasons FROM dup_hit GROUP BY a, b""",
    "ANALYZE dup_pair",
    """INSERT INTO members_duplicatepair (first_id, second_id, reasons, newest_at, found_at)
    SELECT h.a, h.b, h.reasons, greatest(pa.created_at, pb.created_at), now()
    FROM dup_pair h
    JOIN dup_person pa ON pa.id = h.a
    JOIN dup_person pb ON pb.id = h.b
    WHERE NOT EXISTS (
        SELECT 1 FROM members_notduplicate d WHERE d.first_id = h.a AND d.second_id = h.b
    )""",
]


@transaction.atomic
def duplicates_refresh() -> int:
    """Replace the stored candidate pairs with a fresh scan of the whole network (archived
    people included; the queue hides them). Returns the number of pairs. Readers keep seeing
    the previous scan until this one commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # TRUNCATE would lock the queue for the whole scan; DELETE keeps it readable.
            cursor.execute("DELETE FROM members_duplicatepair")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            for statement in _SCAN_SQL:
                cursor.execute(
                    statement.replace("%(max)s", str(MAX_BUCKET)).replace(
                        "%(names)s", str(MAX_NAME_BUCKET)
                    )
                )
            cursor.execute("SELECT count(*) FROM members_duplicatepair")
            return cursor.fetchone()[0]
    DuplicatePair.objects.all().delete()
    pairs = find_pairs_among(Person.objects.all())
    created = dict(
        Person.objects.filter(
            pk__in={pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
        ).values_list("pk", "created_at")
    )
    now = timezone.now()
    DuplicatePair.objects.bulk_create(
        [
            DuplicatePair(
                first_id=pair.first_id,
                second_id=pair.second_id,
                reasons=sum(REASON_BITS[reason] for reason in pair.reasons),
                newest_at=max(created[pair.first_id], created[pair.second_id]),
                found_at=now,
            )
            for pair in pairs
        ],
        batch_size=2000,
    )
    return len(pairs)

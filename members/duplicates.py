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

from .models import DuplicatePair, DuplicateScan, NotDuplicate, Person

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


# Every person with their keys (a join with the few hundred distinct names, not a key
# computed per person).
_KEYED = """SELECT p.id, f.kid AS fk, l.kid AS lk, lower(p.email) AS em, p.phone,
    left(p.zip, 5) AS z, p.created_at AS ca
    FROM members_person p
    JOIN dup_name f ON f.raw = p.first_name
    JOIN dup_name l ON l.raw = p.last_name"""

_SCAN_SQL = [
    # ON COMMIT DROP cleans up after a committed scan; a scan inside a longer transaction (the
    # seeder's, a test's) must not meet the previous scan's tables.
    "DROP TABLE IF EXISTS dup_name, dup_variant, dup_bucket, dup_hit, dup_member, dup_pair",
    # The key of every distinct name, computed once per name rather than once per person, and
    # a number per distinct key (NULL for an empty key): the rules group and join on integers.
    # Each column's distinct names by a hash aggregate (a UNION of the two million raw names
    # sorted them all: 9 s at 1M). (The f-string only inlines this module's constant
    # character lists: no input.)
    f"""CREATE TEMP TABLE dup_name ON COMMIT DROP AS
    WITH names AS (
        SELECT raw, {_key_sql("raw")} AS key
        FROM (SELECT first_name AS raw FROM members_person GROUP BY first_name
              UNION SELECT last_name FROM members_person GROUP BY last_name) raw_names
    )
    SELECT raw, key, CASE WHEN key <> '' THEN dense_rank() OVER (ORDER BY key) END AS kid
    FROM names""",  # noqa: S608
    "ANALYZE dup_name",
    # Every key and its "one letter deleted" variants (keys longer than 3), numbered, per
    # distinct key: a few thousand rows, instead of a set of strings per person.
    """CREATE TEMP TABLE dup_variant ON COMMIT DROP AS
    SELECT kid, dense_rank() OVER (ORDER BY v) AS vid FROM (
        SELECT kid, key AS v FROM dup_name WHERE kid IS NOT NULL
        UNION
        SELECT kid, substr(key, 1, i - 1) || substr(key, i + 1)
        FROM (SELECT DISTINCT kid, key FROM dup_name WHERE kid IS NOT NULL AND length(key) > 3) k
        CROSS JOIN LATERAL generate_series(1, length(key)) AS i
    ) variants""",
    "ANALYZE dup_variant",
    # The network-wide rules' buckets, in one pass over people (grouping sets): a value of the
    # rule's key shared by 2 to `bound` people. Counting alone: an array per group made the
    # planner expect 8 kB a group and spill to disk.
    f"""CREATE TEMP TABLE dup_bucket ON COMMIT DROP AS
    SELECT CASE WHEN GROUPING(em) = 0 THEN 16 WHEN GROUPING(phone) = 0 THEN 8 ELSE 4 END AS bit,
           em, phone, lk, fk, z
    FROM ({_KEYED}) keyed
    GROUP BY GROUPING SETS ((em), (phone, lk), (fk, lk, z))
    HAVING count(*) >= 2 AND CASE
        WHEN GROUPING(em) = 0 THEN em <> '' AND count(*) <= %(max)s
        WHEN GROUPING(phone) = 0 THEN phone <> '' AND lk IS NOT NULL AND count(*) <= %(max)s
        ELSE z <> '' AND fk IS NOT NULL AND lk IS NOT NULL AND count(*) <= %(names)s
    END""",  # noqa: S608
    "ANALYZE dup_bucket",
    "CREATE TEMP TABLE dup_hit (a bigint NOT NULL, b bigint NOT NULL, bit smallint NOT NULL, "
    "newest timestamptz NOT NULL) ON COMMIT DROP",
    # Their pairs: a second pass keeps the people in a bucket, which then pair up per rule.
    f"""INSERT INTO dup_hit
    WITH inside AS MATERIALIZED (
        SELECT * FROM ({_KEYED}) keyed
        WHERE em IN (SELECT em FROM dup_bucket WHERE bit = 16)
           OR (phone, lk) IN (SELECT phone, lk FROM dup_bucket WHERE bit = 8)
           OR (fk, lk, z) IN (SELECT fk, lk, z FROM dup_bucket WHERE bit = 4)
    )
    SELECT x.id, y.id, 16, greatest(x.ca, y.ca) FROM inside x JOIN inside y USING (em)
    WHERE x.id < y.id AND em IN (SELECT em FROM dup_bucket WHERE bit = 16)
    UNION ALL
    SELECT x.id, y.id, 8, greatest(x.ca, y.ca) FROM inside x JOIN inside y USING (phone, lk)
    WHERE x.id < y.id AND (phone, lk) IN (SELECT phone, lk FROM dup_bucket WHERE bit = 8)
    UNION ALL
    SELECT x.id, y.id, 4, greatest(x.ca, y.ca) FROM inside x JOIN inside y USING (fk, lk, z)
    WHERE x.id < y.id AND (fk, lk, z) IN (SELECT fk, lk, z FROM dup_bucket WHERE bit = 4)""",  # noqa: S608
    # Inside a congregation. A person whose very name is shared by more than MAX_NAME_BUCKET
    # people there is in no small bucket of either congregation rule (every bucket holding
    # them holds all those namesakes), so only people with a rarer name go further; `n` is
    # how many share it (a membership is unique per person and congregation).
    f"""CREATE TEMP TABLE dup_member ON COMMIT DROP AS
    WITH members AS MATERIALIZED (
        SELECT m.congregation_id AS c, p.id, p.fk, p.lk, p.ca
        FROM congregations_membership m JOIN ({_KEYED}) p ON p.id = m.person_id
        WHERE p.fk IS NOT NULL AND p.lk IS NOT NULL
    ), named AS (
        SELECT c, lk, fk, count(*)::int AS n FROM members GROUP BY c, lk, fk
        HAVING count(*) <= %(names)s
    )
    SELECT id, c, fk, lk, n, ca FROM members JOIN named USING (c, lk, fk)""",  # noqa: S608
    "ANALYZE dup_member",
    # The same name: bucket (congregation, last, first).
    """INSERT INTO dup_hit
    SELECT x.id, y.id, 2, greatest(x.ca, y.ca)
    FROM dup_member x JOIN dup_member y USING (c, lk, fk) WHERE x.id < y.id""",
    # Names one edit apart: bucket (congregation, the other name, a variant of this one) of 2
    # to MAX_NAME_BUCKET people. A "name" here is one (congregation, first, last) group of
    # namesakes, so a bucket is a handful of groups: its groups with different keys pair up,
    # then their people. Side 1 keeps the last name and varies the first, side 2 the reverse.
    """INSERT INTO dup_hit
    WITH names AS (
        SELECT c, fk, lk, n FROM dup_member GROUP BY c, fk, lk, n
    ), sides AS (
        SELECT c, 1 AS side, lk AS block, fk AS kid, vid, n
        FROM names JOIN dup_variant ON dup_variant.kid = names.fk
        UNION ALL
        SELECT c, 2, fk, lk, vid, n FROM names JOIN dup_variant ON dup_variant.kid = names.lk
    ), buckets AS (
        SELECT c, side, block, vid FROM sides GROUP BY c, side, block, vid
        HAVING count(*) >= 2 AND sum(n) <= %(names)s
    ), bucketed AS MATERIALIZED (
        SELECT c, side, block, vid, kid FROM sides JOIN buckets USING (c, side, block, vid)
    ), name_pairs AS (
        SELECT DISTINCT x.c,
            CASE x.side WHEN 1 THEN x.kid ELSE x.block END AS fa,
            CASE x.side WHEN 1 THEN x.block ELSE x.kid END AS la,
            CASE x.side WHEN 1 THEN y.kid ELSE y.block END AS fb,
            CASE x.side WHEN 1 THEN y.block ELSE y.kid END AS lb
        FROM bucketed x JOIN bucketed y USING (c, side, block, vid) WHERE x.kid < y.kid
    )
    SELECT least(x.id, y.id), greatest(x.id, y.id), 1, greatest(x.ca, y.ca)
    FROM name_pairs p
    JOIN dup_member x ON x.c = p.c AND x.fk = p.fa AND x.lk = p.la
    JOIN dup_member y ON y.c = p.c AND y.fk = p.fb AND y.lk = p.lb""",
    # The pairs, rules OR-ed together, dismissed pairs left out.
    """CREATE TEMP TABLE dup_pair ON COMMIT DROP AS
    SELECT a, b, bit_or(bit) AS reasons, max(newest) AS newest FROM dup_hit h
    WHERE NOT EXISTS (
        SELECT 1 FROM members_notduplicate d WHERE d.first_id = h.a AND d.second_id = h.b
    )
    GROUP BY a, b""",
    "ANALYZE dup_pair",
    # Only what changed since the last scan is written: a night that finds the same pairs
    # rewrites none of them (inserting 340,000 rows into the queue's five indexes took 14-21 s
    # at 1M). New pairs go in index order, so the unique (first, second) index grows at its end.
    """DELETE FROM members_duplicatepair d WHERE NOT EXISTS (
        SELECT 1 FROM dup_pair h WHERE h.a = d.first_id AND h.b = d.second_id
    )""",
    """UPDATE members_duplicatepair d SET reasons = h.reasons, newest_at = h.newest
    FROM dup_pair h
    WHERE h.a = d.first_id AND h.b = d.second_id
      AND (d.reasons <> h.reasons OR d.newest_at <> h.newest)""",
    """INSERT INTO members_duplicatepair (first_id, second_id, reasons, newest_at, found_at)
    SELECT a, b, reasons, newest, now() FROM dup_pair h
    WHERE NOT EXISTS (
        SELECT 1 FROM members_duplicatepair d WHERE d.first_id = h.a AND d.second_id = h.b
    )
    ORDER BY a, b""",
]


@transaction.atomic
def duplicates_refresh() -> int:
    """Bring the stored candidate pairs up to date with a scan of the whole network (archived
    people included; the queue hides them), and record the scan (DuplicateScan). Returns the
    number of pairs. Readers keep seeing the previous scan until this one commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The queue is never emptied first: the scan deletes, updates and inserts only the
            # pairs that changed, in one transaction, so readers keep their index meanwhile.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            for statement in _SCAN_SQL:
                cursor.execute(
                    statement.replace("%(max)s", str(MAX_BUCKET)).replace(
                        "%(names)s", str(MAX_NAME_BUCKET)
                    )
                )
            cursor.execute("SELECT count(*) FROM dup_pair")
            count = cursor.fetchone()[0]
        DuplicateScan.objects.create(pairs=count)
        return count
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
    DuplicateScan.objects.create(pairs=len(pairs), finished_at=now)
    return len(pairs)

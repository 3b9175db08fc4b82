"""Demo congregations for seed_demo: 37 plausible (fictional) Connecticut congregations."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from .fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, months_remaining
from .ledger_triggers import wipe_ledger
from .models import (
    Congregation,
    CongregationStatus,
    DuesTier,
    EntryKind,
    LedgerEntry,
    OtherIncome,
    PaymentMethod,
    Tradition,
)
from .services import assessment_amount, assessment_key

C, J, M, S, Q, U = (
    Tradition.CHRISTIAN,
    Tradition.JEWISH,
    Tradition.MUSLIM,
    Tradition.SIKH,
    Tradition.QUAKER,
    Tradition.UNITARIAN,
)

# name, tradition, denomination, town, who worships there (name pools and their weights), size
CONGREGATIONS = [
    (
        "St. Mark's AME Church",
        C,
        "African Methodist Episcopal",
        "Hartford",
        {"black": 9, "general": 1},
        3,
    ),
    (
        "Sacred Heart Parish",
        C,
        "Roman Catholic",
        "Bridgeport",
        {"latino": 6, "general": 3, "black": 1},
        5,
    ),
    (
        "First Congregational Church of Norwalk",
        C,
        "United Church of Christ",
        "Norwalk",
        {"general": 8, "black": 2},
        3,
    ),
    (
        "Greater Hope Missionary Baptist Church",
        C,
        "Baptist",
        "New Haven",
        {"black": 9, "general": 1},
        3,
    ),
    ("Iglesia Cristo Rey", C, "Roman Catholic", "Danbury", {"latino": 9, "general": 1}, 4),
    ("Trinity Episcopal Church", C, "Episcopal", "Wilton", {"general": 9, "black": 1}, 2),
    (
        "Grace Lutheran Church",
        C,
        "Evangelical Lutheran",
        "Stamford",
        {"general": 8, "latino": 2},
        2,
    ),
    (
        "St. Augustine Parish",
        C,
        "Roman Catholic",
        "Waterbury",
        {"general": 5, "latino": 4, "black": 1},
        5,
    ),
    (
        "Faith Tabernacle Church of God in Christ",
        C,
        "Church of God in Christ",
        "Hartford",
        {"black": 10},
        2,
    ),
    (
        "Westport United Methodist Church",
        C,
        "United Methodist",
        "Westport",
        {"general": 9, "black": 1},
        2,
    ),
    (
        "Christ Presbyterian Church",
        C,
        "Presbyterian (PCUSA)",
        "Fairfield",
        {"general": 9, "korean": 1},
        2,
    ),
    ("Iglesia Pentecostal Monte Sinaí", C, "Pentecostal", "Bridgeport", {"latino": 10}, 2),
    ("St. Ann's Parish", C, "Roman Catholic", "Milford", {"general": 8, "latino": 2}, 3),
    (
        "Shiloh Baptist Church",
        C,
        "Baptist",
        "Stamford",
        {"black": 8, "haitian": 1, "general": 1},
        3,
    ),
    (
        "Emmanuel Church of the Nazarene",
        C,
        "Church of the Nazarene",
        "West Haven",
        {"general": 5, "black": 3, "latino": 2},
        1,
    ),
    (
        "Our Lady of Guadalupe Parish",
        C,
        "Roman Catholic",
        "Norwalk",
        {"latino": 9, "general": 1},
        4,
    ),
    ("Korean Presbyterian Church of Greenwich", C, "Presbyterian", "Greenwich", {"korean": 10}, 1),
    (
        "Second Congregational Church",
        C,
        "United Church of Christ",
        "Bloomfield",
        {"black": 5, "general": 5},
        2,
    ),
    (
        "St. Peter Claver Church",
        C,
        "Roman Catholic",
        "West Hartford",
        {"black": 4, "general": 3, "latino": 3},
        3,
    ),
    (
        "New Life Community Church",
        C,
        "Non-denominational",
        "Windsor",
        {"black": 6, "general": 3, "latino": 1},
        2,
    ),
    ("Immanuel Lutheran Church", C, "Lutheran", "Danbury", {"general": 8, "latino": 2}, 1),
    ("Église Baptiste Haïtienne de Stamford", C, "Baptist", "Stamford", {"haitian": 10}, 1),
    (
        "St. Joseph Filipino-American Catholic Community",
        C,
        "Roman Catholic",
        "Shelton",
        {"filipino": 8, "general": 2},
        1,
    ),
    ("Temple Beth El", J, "Reform", "Stamford", {"jewish": 9, "general": 1}, 3),
    ("Congregation B'nai Israel", J, "Conservative", "Bridgeport", {"jewish": 9, "general": 1}, 2),
    ("Congregation Shir Shalom", J, "Reform", "Ridgefield", {"jewish": 9, "general": 1}, 2),
    ("Beth Torah Synagogue", J, "Conservative", "New Haven", {"jewish": 10}, 2),
    ("Kehilat Chaverim", J, "Reconstructionist", "Trumbull", {"jewish": 8, "general": 2}, 1),
    ("Temple Sinai", J, "Reform", "Hamden", {"jewish": 9, "general": 1}, 2),
    ("Masjid Al-Noor", M, "Sunni", "Norwalk", {"muslim": 10}, 2),
    ("Islamic Center of Hartford", M, "Sunni", "Hartford", {"muslim": 9, "black": 1}, 2),
    ("Gurdwara Sahib of Connecticut", S, "", "Norwich", {"sikh": 10}, 2),
    ("Wilton Friends Meeting", Q, "Religious Society of Friends", "Wilton", {"general": 10}, 1),
    (
        "Hartford Friends Meeting",
        Q,
        "Religious Society of Friends",
        "West Hartford",
        {"general": 9, "black": 1},
        1,
    ),
    (
        "Unitarian Universalist Fellowship of Fairfield County",
        U,
        "Unitarian Universalist",
        "Stamford",
        {"general": 9, "black": 1},
        2,
    ),
    (
        "First Unitarian Society of New Haven",
        U,
        "Unitarian Universalist",
        "Hamden",
        {"general": 8, "black": 1, "jewish": 1},
        1,
    ),
    ("St. Luke's Episcopal Church", C, "Episcopal", "Darien", {"general": 10}, 2),
]

ZIP_BY_TOWN = {
    "Hartford": "06103",
    "Bridgeport": "06604",
    "Norwalk": "06850",
    "New Haven": "06510",
    "Danbury": "06810",
    "Wilton": "06897",
    "Stamford": "06901",
    "Waterbury": "06702",
    "Westport": "06880",
    "Fairfield": "06824",
    "Milford": "06460",
    "West Haven": "06516",
    "Greenwich": "06830",
    "Bloomfield": "06002",
    "West Hartford": "06107",
    "Windsor": "06095",
    "Shelton": "06484",
    "Ridgefield": "06877",
    "Trumbull": "06611",
    "Hamden": "06514",
    "Norwich": "06360",
    "Darien": "06820",
}
STREETS = [
    "Main St",
    "Church St",
    "Elm St",
    "Park Ave",
    "Washington Blvd",
    "Prospect St",
    "Broad St",
    "Maple Ave",
    "State St",
    "High St",
    "Chapel St",
    "Fairfield Ave",
]


def seed_congregations(demo: dict) -> str:
    """Create the 37 demo congregations (32 members, 3 prospects, 2 lapsed)."""
    rng = demo["rng"]
    statuses = [CongregationStatus.MEMBER] * 31 + [CongregationStatus.PROSPECT] * 3
    statuses += [CongregationStatus.LAPSED] * 2
    rng.shuffle(statuses)
    statuses.insert(0, CongregationStatus.MEMBER)  # the demo lead's St. Mark's is a member
    congregations = []
    for (name, tradition, denomination, town, _pools, _size), status in zip(
        CONGREGATIONS, statuses, strict=True
    ):
        joined = None
        if status != CongregationStatus.PROSPECT:
            joined = datetime.date(rng.randint(1998, 2024), rng.randint(1, 12), 1)
        congregations.append(
            Congregation(
                name=name,
                slug=slugify(name)[:80],
                tradition=tradition,
                denomination=denomination,
                street=f"{rng.randint(10, 999)} {rng.choice(STREETS)}",
                town=town,
                zip=ZIP_BY_TOWN[town],
                status=status,
                joined_on=joined,
            )
        )
    demo["congregations"] = Congregation.objects.bulk_create(congregations)
    return f"{len(congregations)} congregations"


def congregation_profile(name: str) -> tuple[dict[str, int], int]:
    """Name pools and relative size of the congregation called `name`."""
    for row in CONGREGATIONS:
        if row[0] == name:
            return row[4], row[5]
    return {"general": 1}, 1


# --- Dues (issue 6) -----------------------------------------------------------------------------

DEMO_TIERS = [
    ("Small", 60_000, "Under 150 households"),
    ("Standard", 180_000, "150–500 households"),
    ("Large", 360_000, "500–1,200 households"),
    ("Anchor", 600_000, "Over 1,200 households"),
]
TIER_BY_SIZE = {1: "Small", 2: "Standard", 3: "Standard", 4: "Large", 5: "Anchor"}
DEMO_DONORS = [
    ("donation", "individual", "Ruth Abernathy", 25_000, False, ""),
    ("donation", "individual", "Samuel and Grace Okafor", 100_000, False, ""),
    (
        "grant",
        "foundation",
        "Hartford Community Foundation",
        2_500_000,
        True,
        "Leadership training",
    ),
    ("grant", "foundation", "Interfaith Justice Fund", 1_500_000, False, ""),
    ("donation", "congregation", "Episcopal Diocese of Connecticut", 500_000, False, ""),
]


def seed_dues(demo: dict) -> str:
    """Tiers, two fiscal years of assessments and payments (a few congregations in arrears, one
    bounced check reversed), and some donations and grants. Bulk inserts; the assessment keys are
    the ones assess_dues uses, so running it afterwards posts nothing for these years."""
    rng = demo["rng"]
    admin = demo.get("users", {}).get("admin")
    today = timezone.localdate()
    tiers = {
        t.name: t
        for t in DuesTier.objects.bulk_create(
            DuesTier(name=n, annual_amount_cents=a, description=d) for n, a, d in DEMO_TIERS
        )
    }
    congregations = list(Congregation.objects.order_by("name"))
    for congregation in congregations:
        _pools, size = congregation_profile(congregation.name)
        congregation.dues_tier = tiers[TIER_BY_SIZE[size]]
    Congregation.objects.bulk_update(congregations, ["dues_tier"])

    members = [c for c in congregations if c.status == CongregationStatus.MEMBER]
    in_arrears = set(rng.sample([c.pk for c in members], k=min(4, len(members))))
    current = fiscal_year_of(today)
    entries: list[LedgerEntry] = []
    methods = [PaymentMethod.CHECK] * 5 + [PaymentMethod.ACH] * 3 + [PaymentMethod.CARD]
    for year in (current - 1, current):
        first, last = fiscal_year_bounds(year)
        for congregation in members:
            if months_remaining(year, congregation.joined_on) == 0:
                continue
            tier = tiers[TIER_BY_SIZE[congregation_profile(congregation.name)[1]]]
            amount = assessment_amount(tier.annual_amount_cents, year, congregation.joined_on)
            entries.append(
                LedgerEntry(
                    congregation=congregation,
                    kind=EntryKind.ASSESSMENT,
                    amount_cents=amount,
                    fiscal_year=year,
                    effective_on=max(first, congregation.joined_on or first),
                    memo=f"{fiscal_year_label(year)} dues, {tier.name} tier",
                    idempotency_key=assessment_key(congregation.pk, year),
                )
            )
            # Quarterly installments; arrears congregations paid half of last year, none of this.
            share = {True: 0.0 if year == current else 0.5, False: 1.0}[
                congregation.pk in in_arrears
            ]
            installments = rng.choice([1, 2, 3]) if share else 0
            paid_so_far = 0
            for i in range(installments):
                day = first + datetime.timedelta(days=20 + i * 45 + rng.randint(0, 20))
                if day > min(last, today):
                    break
                part = round(amount * share / installments / 100) * 100
                if i == installments - 1:
                    part = round(amount * share) - paid_so_far
                if part <= 0:
                    continue
                paid_so_far += part
                method = rng.choice(methods)
                entries.append(
                    LedgerEntry(
                        congregation=congregation,
                        kind=EntryKind.PAYMENT,
                        amount_cents=-part,
                        fiscal_year=year,
                        effective_on=day,
                        method=method,
                        reference=str(rng.randint(1000, 9999))
                        if method == PaymentMethod.CHECK
                        else "",
                        created_by=admin,
                        idempotency_key=f"payment:demo-{congregation.pk}-{year}-{i}",
                    )
                )
    created = LedgerEntry.objects.bulk_create(entries)
    # One bounced check, reversed: the audit trail of a correction.
    bounced = next((e for e in created if e.kind == EntryKind.PAYMENT and e.pk), None)
    reversals = 0
    if bounced is not None:
        LedgerEntry.objects.create(
            congregation=bounced.congregation,
            kind=EntryKind.REVERSAL,
            amount_cents=-bounced.amount_cents,
            fiscal_year=bounced.fiscal_year,
            effective_on=bounced.effective_on + datetime.timedelta(days=9),
            memo="Check returned by the bank (insufficient funds)",
            reverses=bounced,
            created_by=admin,
            idempotency_key=f"reversal:{bounced.pk}",
        )
        reversals = 1
    OtherIncome.objects.bulk_create(
        OtherIncome(
            kind=kind,
            source=source,
            donor=donor,
            amount_cents=amount,
            received_on=today - datetime.timedelta(days=rng.randint(5, 300)),
            restricted=restricted,
            restriction=restriction,
            created_by=admin,
        )
        for kind, source, donor, amount, restricted, restriction in DEMO_DONORS
    )
    return (
        f"{len(tiers)} dues tiers, {len(created) + reversals} ledger entries over "
        f"{fiscal_year_label(current - 1)}–{fiscal_year_label(current)}, "
        f"{len(in_arrears)} congregations behind, {len(DEMO_DONORS)} gifts and grants"
    )


def wipe_dues() -> None:
    """Empty the dues ledger, other income and tiers (seed_demo --reset). The ledger's triggers
    refuse DELETE, so this drops them, deletes and re-installs them in the caller's transaction."""
    wipe_ledger(connection)
    OtherIncome.objects.all().delete()
    Congregation.objects.update(dues_tier=None)
    DuesTier.objects.all().delete()

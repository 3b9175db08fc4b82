"""Demo congregations for seed_demo: 37 plausible (fictional) Connecticut congregations."""

import datetime

from django.utils.text import slugify

from .models import Congregation, CongregationStatus, Tradition

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
    statuses = [CongregationStatus.MEMBER] * 32 + [CongregationStatus.PROSPECT] * 3
    statuses += [CongregationStatus.LAPSED] * 2
    rng.shuffle(statuses)
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

"""Demo people for seed_demo: a realistic, deterministic spread over the congregations."""

import datetime
import random
import unicodedata

from django.utils import timezone

from conect.access import Role
from conect.ladder import Level
from congregations.demo import ZIP_BY_TOWN, congregation_profile
from congregations.models import Congregation, Membership, MembershipRole

from .equity import equity_group_of
from .models import (
    Demographics,
    Language,
    LeadershipChange,
    Person,
    Tag,
    User,
    VoterRegistration,
    VoterStatus,
)

# Why each demo move was made: the practice the ladder rule asks for (relationships/ladder.py).
MOVE_REASONS: dict[str, str] = {
    Level.PARTICIPANT: "Had two one-on-ones and came to an action.",
    Level.LEADER: "Holds one-on-ones and turned people out for an action.",
    Level.CORE_TEAM: "Held ten one-on-ones and hosted a house meeting; keeps commitments.",
    Level.KEY_LEADER: "Held thirty one-on-ones and hosted three house meetings.",
}

# fmt: off
FIRST = {
    "general": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Margaret", "Mark", "Betty", "Paul", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Kevin", "Donna", "Brian", "Michelle", "George", "Carol", "Timothy", "Amanda", "Peter", "Kathleen", "Laura", "Anne", "Claire"],
    "black": ["Aaliyah", "Jamal", "Keisha", "Darnell", "Tanisha", "Marcus", "Imani", "Andre", "Latoya", "Terrence", "Ebony", "DeShawn", "Shanice", "Malik", "Monique", "Jerome", "Yolanda", "Cedric", "Denise", "Reginald", "Gloria", "Curtis", "Loretta", "Maurice", "Bernice", "Alvin", "Dorothy", "Calvin", "Brenda", "Tyrone"],
    "latino": ["María", "José", "Juan", "Ana", "Luis", "Carmen", "Carlos", "Rosa", "Jorge", "Lucía", "Miguel", "Guadalupe", "Pedro", "Sofía", "Javier", "Isabel", "Alejandro", "Elena", "Ramón", "Marisol", "Francisco", "Yesenia", "Héctor", "Teresa", "Diego", "Gabriela", "Andrés", "Lourdes", "Raúl", "Xiomara"],
    "jewish": ["Rachel", "Daniel", "Sarah", "David", "Rebecca", "Benjamin", "Miriam", "Jacob", "Leah", "Samuel", "Hannah", "Aaron", "Deborah", "Joshua", "Naomi", "Eli", "Judith", "Noah", "Esther", "Adam", "Ruth", "Jonathan", "Ilana", "Ari", "Tamar"],
    "muslim": ["Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Khadija", "Ali", "Maryam", "Yusuf", "Zainab", "Hassan", "Amina", "Ibrahim", "Noor", "Tariq", "Samira", "Bilal", "Hana", "Karim", "Layla", "Abdullahi", "Hawa", "Imran", "Sana", "Mustafa"],
    "sikh": ["Gurpreet", "Harjit", "Manpreet", "Jaswinder", "Amarjit", "Baljit", "Simran", "Navdeep", "Harpreet", "Kuldeep", "Jasmeet", "Rajinder", "Parminder", "Sukhwinder", "Arjun", "Ravneet"],
    "korean": ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Joon", "Soo-jin", "Hyun-woo", "Eun-ji", "Daniel", "Grace", "Paul", "Esther"],
    "haitian": ["Jean", "Marie", "Pierre", "Guerline", "Frantz", "Nadège", "Jacques", "Mirlande", "Wilner", "Fabienne", "Ricardo", "Roseline"],
    "filipino": ["Maria", "Jose", "Ramon", "Cristina", "Rowena", "Arnel", "Marilou", "Jericho", "Angelica", "Rodel"],
}
LAST = {
    "general": ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Murphy", "O'Brien", "Sullivan", "Kelly", "Russo", "Esposito", "Kowalski", "Nowak", "Berg", "Lindqvist"],
    "black": ["Washington", "Jefferson", "Jackson", "Williams", "Robinson", "Freeman", "Banks", "Coleman", "Bryant", "Gaines", "Mack", "Dixon", "Hayes", "Simmons", "Greene", "Brooks", "Bell", "Jenkins", "Howard", "Ford", "Powell", "Rivers", "Moses", "Pryor", "Fields"],
    "latino": ["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Ortiz", "Gutiérrez", "Chávez", "Ruiz", "Santos", "Vargas", "Castillo", "Jiménez", "Mendoza", "Ortega", "Delgado", "Peña", "Núñez", "Colón"],
    "jewish": ["Cohen", "Levy", "Goldberg", "Friedman", "Katz", "Shapiro", "Rosen", "Klein", "Weiss", "Schwartz", "Kaplan", "Stern", "Feldman", "Roth", "Adler", "Gold", "Bernstein", "Horowitz", "Lieberman", "Siegel", "Abrams", "Marcus", "Weinberg", "Blum", "Rubin"],
    "muslim": ["Khan", "Ahmed", "Hussain", "Rahman", "Ali", "Mahmoud", "Hassan", "Abdullah", "Siddiqui", "Qureshi", "Malik", "Farah", "Osman", "Haddad", "Nasser", "Diallo", "Bah", "Sheikh", "Chaudhry", "Yusuf"],
    "sikh": ["Singh", "Kaur", "Gill", "Sandhu", "Dhillon", "Sidhu", "Grewal", "Bains", "Chahal", "Brar"],
    "korean": ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"],
    "haitian": ["Pierre", "Jean-Baptiste", "Joseph", "Charles", "Louis", "Étienne", "Dorvil", "Beauvais", "Toussaint", "Célestin", "Augustin", "Noël"],
    "filipino": ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Villanueva", "Dela Cruz", "Aquino"],
}
# fmt: on
# Share of each pool that prefers a language other than English.
OTHER_LANGUAGE = {
    "latino": (Language.SPANISH, 0.65),
    "haitian": (Language.HAITIAN_CREOLE, 0.4),
    "sikh": (Language.PUNJABI, 0.3),
    "muslim": (Language.ARABIC, 0.1),
}
LADDER = [
    (Level.MEMBER, 80.0),
    (Level.PARTICIPANT, 12.0),
    (Level.LEADER, 5.0),
    (Level.CORE_TEAM, 2.5),
    (Level.KEY_LEADER, 0.5),
]
TAGS = [
    "youth",
    "clergy",
    "translator",
    "housing team",
    "immigration team",
    "schools team",
    "wages team",
    "choir",
    "first-time voter registration volunteer",
    "childcare",
]
AREA_CODES = ["203", "475", "860", "959"]
DEMO_PASSWORD = "conect-demo"  # demo data only; production accounts are invited by staff
BATCH = 2000


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def seed_people(demo: dict) -> str:
    """Create demo["people"] people spread over the congregations, with memberships, ladder
    history and tags, all by bulk inserts."""
    rng, congregations, count = demo["rng"], demo["congregations"], demo["people"]
    profiles = [congregation_profile(c.name) for c in congregations]
    sizes = [size for _pools, size in profiles]
    towns = sorted(ZIP_BY_TOWN)
    tags = Tag.objects.bulk_create([Tag(name=name) for name in TAGS])
    now = timezone.now()
    people, homes = [], []
    for _ in range(count):
        index = rng.choices(range(len(congregations)), weights=sizes)[0]
        congregation = congregations[index]
        pool = _weighted(rng, profiles[index][0])
        first, last = rng.choice(FIRST[pool]), rng.choice(LAST[pool])
        language = Language.ENGLISH
        if pool in OTHER_LANGUAGE and rng.random() < OTHER_LANGUAGE[pool][1]:
            language = OTHER_LANGUAGE[pool][0]
        town = congregation.town if rng.random() < 0.7 else rng.choice(towns)
        level = rng.choices([lv for lv, _w in LADDER], weights=[w for _lv, w in LADDER])[0]
        has_email = rng.random() < 0.72
        people.append(
            Person(
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 9999)}@example.org".replace(
                    " ", ""
                )
                if has_email
                else "",
                phone=f"+1{rng.choice(AREA_CODES)}555{rng.randint(0, 9999):04d}"
                if rng.random() < 0.8
                else "",
                street=f"{rng.randint(1, 400)} {rng.choice(['Oak', 'Pine', 'Cedar', 'Grove', 'Summer', 'Union'])} St",
                town=town,
                zip=ZIP_BY_TOWN[town],
                language=language,
                level=level,
                email_ok=has_email and rng.random() < 0.95,
                sms_ok=rng.random() < 0.5,
                do_not_contact=rng.random() < 0.01,
            )
        )
        homes.append(congregation)
    Person.objects.bulk_create(people, batch_size=BATCH)

    memberships, changes, tag_links = [], [], []
    rungs: list[str] = [lv for lv, _w in LADDER]
    for person, home in zip(people, homes, strict=True):
        core = person.level in (Level.CORE_TEAM, Level.KEY_LEADER)
        role = MembershipRole.CORE_TEAM if core else MembershipRole.MEMBER
        memberships.append(Membership(person=person, congregation=home, role=role))
        if rng.random() < 0.03:  # some people belong to two congregations
            other = rng.choice(congregations)
            if other.pk != home.pk:
                memberships.append(Membership(person=person, congregation=other, is_primary=False))
        climbed = rungs.index(person.level)
        when = now - datetime.timedelta(days=rng.randint(400, 3000))
        for step in range(1, climbed + 1):
            when += datetime.timedelta(days=rng.randint(60, 360))
            changes.append(
                LeadershipChange(
                    person=person,
                    from_level=rungs[step - 1],
                    to_level=rungs[step],
                    reason=MOVE_REASONS[rungs[step]],
                    changed_at=min(when, now),
                )
            )
        if rng.random() < 0.15:
            tag_links.append(Person.tags.through(person=person, tag=rng.choice(tags)))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    LeadershipChange.objects.bulk_create(changes, batch_size=BATCH)
    Person.tags.through.objects.bulk_create(tag_links, batch_size=BATCH)
    demo["people_created"] = people
    return (
        f"{len(people):,} people, {len(memberships):,} memberships, {len(changes):,} ladder moves"
    )


def seed_logins(demo: dict) -> str:
    """The four demo personas, into demo["logins"] as (role, email, what they see)."""
    congregations, password = demo["congregations"], demo["password"]
    home = next(c for c in congregations if c.slug == "st-marks-ame-church")
    admin = User.objects.create_user(
        "admin@conect.example",
        password,
        role=Role.ADMIN,
        is_superuser=True,
        first_name="Dana",
        last_name="Whitfield",
    )
    organizer = User.objects.create_user(
        "organizer@conect.example",
        password,
        role=Role.ORGANIZER,
        network_wide=True,
        first_name="Marisol",
        last_name="Vega",
    )
    lead = User.objects.create_user(
        "lead@conect.example",
        password,
        role=Role.LEAD,
        first_name="Gloria",
        last_name="Banks",
    )
    lead.congregations.add(home)
    leader = User.objects.create_user(
        "leader@conect.example",
        password,
        role=Role.LEADER,
        first_name="Andre",
        last_name="Freeman",
    )
    for user in (admin, organizer, lead, leader):
        person = Person.objects.create(
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            user=user,
            town=home.town,
            zip=home.zip,
            level={Role.LEAD: Level.CORE_TEAM, Role.LEADER: Level.LEADER}.get(
                user.role, Level.MEMBER
            ),
        )
        if user.role in (Role.LEAD, Role.LEADER):
            role = MembershipRole.CORE_TEAM if user.role == Role.LEAD else MembershipRole.MEMBER
            Membership.objects.create(person=person, congregation=home, role=role)
    demo["users"] = {"admin": admin, "organizer": organizer, "lead": lead, "leader": leader}
    demo["logins"] = [
        ("admin", admin.email, "everything, and the staff admin at /admin/"),
        ("organizer", organizer.email, "every congregation (network-wide)"),
        ("lead", lead.email, f"{home.name} only"),
        ("leader", leader.email, "their own one-on-ones and follow-ups"),
    ]
    return "4 demo logins"


def wipe_people() -> None:
    """Delete people, logins and congregations (for seed_demo --reset)."""
    for model in (LeadershipChange, Membership, Person.tags.through, Person, Tag, User):
        model.objects.all().delete()
    Congregation.objects.all().delete()


# --- Values (issue 14): self-identified demographics and voter registration ------------------

# What people of each demo name pool say of themselves, with weights: a spread, not a label.
POOL_GROUPS = {
    "general": [(["white"], 70), (["black"], 8), (["white", "latino"], 4), ([], 3)],
    "black": [(["black"], 85), (["black", "caribbean"], 8), (["black", "white"], 4)],
    "latino": [(["latino"], 80), (["latino", "black"], 8), (["latino", "white"], 6), ([], 4)],
    "jewish": [(["white"], 85), (["mena"], 5), ([], 6)],
    "muslim": [(["mena"], 40), (["black"], 30), (["south_asian"], 25)],
    "sikh": [(["south_asian"], 95)],
    "korean": [(["asian"], 95)],
    "haitian": [(["caribbean", "black"], 55), (["caribbean"], 40)],
    "filipino": [(["asian"], 70), (["asian", "pacific_islander"], 25)],
}
OWN_WORDS = {
    "latino": ["Puerto Rican", "Dominican", "Boricua", "Colombian"],
    "caribbean": ["Haitian American", "Jamaican"],
    "mena": ["Lebanese", "Syrian American"],
    "": ["Cape Verdean", "Human", "Mixed"],
}
CONSENT_SHARE = 0.35  # people who have told us, with consent
UNCONFIRMED_SHARE = 0.004  # the old staff-typed field, waiting for consent
VOTER_ASKED_SHARE = 0.2


def _pool_by_last_name() -> dict[str, str]:
    return {name: pool for pool, names in reversed(LAST.items()) for name in names}


def seed_values(demo: dict) -> str:
    """Consented demographics for about a third of the people, a few unconfirmed rows left by
    the old free-text field, and voter registration for a fifth. Its own random sequence."""
    rng = random.Random(demo.get("seed", 2026) + 14)
    people = demo.get("people_created", [])
    organizer = demo.get("users", {}).get("organizer")
    pools = _pool_by_last_name()
    today = timezone.localdate()
    rows, voters = [], []
    for person in people:
        draw = rng.random()
        pool = pools.get(person.last_name, "general")
        if draw < CONSENT_SHARE + UNCONFIRMED_SHARE:
            options = POOL_GROUPS[pool]
            groups = rng.choices([g for g, _w in options], weights=[w for _g, w in options])[0]
            key = groups[0] if groups else ""
            words = rng.choice(OWN_WORDS[key]) if key in OWN_WORDS and rng.random() < 0.5 else ""
            if not groups and not words:
                words = rng.choice(OWN_WORDS[""])
            consented = draw < CONSENT_SHARE
            rows.append(
                Demographics(
                    person=person,
                    groups=groups,
                    self_described=words,
                    equity_group=equity_group_of(groups, words),
                    consented_on=today - datetime.timedelta(days=rng.randint(0, 700))
                    if consented
                    else None,
                    consent_recorded_by=organizer if consented else None,
                )
            )
        if rng.random() < VOTER_ASKED_SHARE:
            status = rng.choices(list(VoterStatus), weights=[70, 20, 10])[0]
            voters.append(
                VoterRegistration(
                    person=person,
                    status=status,
                    town=person.town if status == VoterStatus.REGISTERED else "",
                    asked_on=today - datetime.timedelta(days=rng.randint(0, 400)),
                    recorded_by=organizer,
                )
            )
    Demographics.objects.bulk_create(rows, batch_size=BATCH)
    VoterRegistration.objects.bulk_create(voters, batch_size=BATCH)
    shared = sum(1 for row in rows if row.consented_on)
    return (
        f"{shared:,} people's self-identified race/ethnicity (consented), "
        f"{len(rows) - shared} awaiting consent, {len(voters):,} voter registration answers"
    )

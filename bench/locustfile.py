"""Load: 50 people using CONECT at once, on this machine only (`python -m bench load`).

The mix, as a weekday evening looks:
- organizers (staff, network-wide or a few congregations each): their home, the people search,
  a person's page, their follow-ups, and logging the one-on-one they just had;
- leaders: their home, their follow-ups, logging a one-on-one;
- leads: their home, their congregation's dues, the turnout of tonight's action;
- the door (two phones, `DoorPhone`): 200 people checked in at tonight's action within two
  minutes, each a name search and a tap.

Sessions, the CSRF token and the data to act on (people each persona may see, tonight's action
and its RSVPs) come from the JSON file BENCH_LOAD_PLAN written by bench.loadtest, so no one logs
in with a password during the run (an organizer's session lasts two weeks). Requests go only to
127.0.0.1 (the host is checked at start) and the run is bounded by --run-time.
"""

import datetime
import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, constant_pacing, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text(encoding="utf-8"))
DOOR_CHECK_INS = 200
DOOR_PHONES = 2


@events.test_start.add_listener
def only_this_machine(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {environment.host!r}: this bench targets 127.0.0.1")


class Persona(HttpUser):
    abstract = True
    role = ""

    def choose_login(self) -> dict:
        return random.choice(PLAN["logins"][self.role])

    def on_start(self):
        self.login = self.choose_login()
        host = urlsplit(self.host).netloc
        self.client.headers.update(
            {
                "Cookie": f"{PLAN['session_cookie']}={self.login['session']}; "
                f"{PLAN['csrf_cookie']}={PLAN['csrf_token']}",
                "X-CSRFToken": PLAN["csrf_token"],
                "X-Forwarded-Proto": "https",  # behind the TLS proxy, as in production
                "Origin": f"https://{host}",
                "Referer": f"https://{host}/",
                "Accept-Language": "en",
            }
        )

    def get(self, path: str, name: str | None = None):
        self.call("GET", path, name=name)

    def call(self, method: str, path: str, expect: int = 200, **options):
        """One request; anything but `expect` (no redirect followed) counts as a failure."""
        with self.client.request(
            method, path, catch_response=True, allow_redirects=False, **options
        ) as r:
            if r.status_code != expect:
                r.failure(f"HTTP {r.status_code}")

    def log_one_on_one(self):
        """Open the form, then save a one-on-one with someone this login may see."""
        self.get("/one-on-ones/new/")
        person = random.choice(self.login["people"])
        form = {
            "person": str(person),
            "held_on": datetime.date.today().isoformat(),
            "issues": random.sample(PLAN["issues"], k=2),
            "notes": "Talked about the rent increase and her kids' school.",
            "follow_up": random.choice(["1w", "2w", ""]),
            "place": "coffee shop",
            "duration_minutes": "30",
        }
        # Saved: redirected to the new one-on-one.
        self.call("POST", "/one-on-ones/new/", expect=302, data=form, name="POST one-on-one")


class Practice(Persona):
    """Someone who holds one-on-ones: their home, their follow-ups, logging the one just held."""

    abstract = True
    wait_time = between(3, 10)

    @task(4)
    def home(self):
        self.get("/", name=f"/ ({self.role})")

    @task(2)
    def follow_ups(self):
        self.get("/follow-ups/")

    @task(2)
    def log(self):
        self.log_one_on_one()


class Organizer(Practice):
    weight = 8
    role = "organizer"

    @task(3)
    def search(self):
        self.get(f"/people/?q={random.choice(PLAN['searches'])}", name="/people/?q=…")

    @task(3)
    def person(self):
        self.get(f"/people/{random.choice(self.login['people'])}/", name="/people/<id>/")

    @task(1)
    def listening(self):
        self.get("/listening/")


class Leader(Practice):
    weight = 8
    role = "leader"


class Lead(Persona):
    weight = 4
    role = "lead"
    wait_time = between(3, 10)

    @task(3)
    def home(self):
        self.get("/", name="/ (lead)")

    @task(2)
    def dues(self):
        self.get(f"/congregations/{self.login['congregation']}/dues/", name="dues of <slug>")

    @task(2)
    def turnout(self):
        self.get(f"/actions/{PLAN['door']['action']}/", name="/actions/<id>/")


class DoorPhone(Persona):
    """One of two phones at the door: 100 check-ins each, one every 1.2 s (200 in 2 minutes)."""

    fixed_count = DOOR_PHONES
    role = "door"
    wait_time = constant_pacing(120 / (DOOR_CHECK_INS / DOOR_PHONES))

    phones = itertools.count()

    def choose_login(self) -> dict:
        """The lead's phone takes their congregation's people, the organizer's the others."""
        return PLAN["logins"]["door"][next(self.phones) % DOOR_PHONES]

    def on_start(self):
        super().on_start()
        self.queue = PLAN["door"]["people"][self.login["slot"] :: DOOR_PHONES]

    @task
    def check_in(self):
        if not self.queue:
            raise StopUser()
        person, last_name = self.queue.pop()
        action = PLAN["door"]["action"]
        self.get(f"/actions/{action}/check-in/search/?q={last_name[:4]}", name="door search")
        self.call(
            "POST",
            f"/actions/{action}/check-in/{person}/",
            headers={"HX-Request": "true"},
            name="door check-in",
        )

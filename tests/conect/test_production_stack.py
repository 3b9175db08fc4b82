"""The production path (issue 12), run for real: gunicorn under production settings answers the
compose health check whatever DJANGO_ALLOWED_HOSTS says, stops cleanly on SIGTERM, answers a
calm 503 with the database down, and a server with no usable site address does not start."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

BASE = Path(__file__).resolve().parents[2]
SITE = "https://organizer.conect.org"


def compose() -> dict:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CONECT_", "PYTEST", "CELERY_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="conect.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="production-like-" + "k9!" * 20,
        DJANGO_ALLOWED_HOSTS="organizer.conect.org",  # a host list the probe is not on
        DJANGO_BEHIND_TLS_PROXY="1",
        CONECT_SITE_URL=SITE,
        CONECT_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path}/conect.sqlite3",
        WEB_CONCURRENCY="1",
    )
    env.update(extra)
    return env


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(KeepRedirects)


class Gunicorn:
    """gunicorn started as the compose web service starts it (its command, gunicorn.conf.py)."""

    def __init__(self, env):
        command = compose()["services"]["web"]["command"]
        assert command == ["gunicorn", "conect.wsgi:application"]
        self.port = env["PORT"]
        # The log goes to a file, not a pipe: an undrained pipe fills with the outage's
        # tracebacks after a few requests and the worker blocks writing its log (seen: the fifth
        # request hung for 20 s).
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=BASE,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", int(self.port)), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.process.kill()
        self.process.wait()
        raise AssertionError(self._read_log())

    def get(self, path, **headers):
        """One request, redirects not followed."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with NO_REDIRECTS.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> tuple[float, int, str]:
        """SIGTERM, as `docker-compose stop` sends: seconds to exit, exit code, log."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return time.monotonic() - started, self.process.returncode, self._read_log()

    def _read_log(self) -> str:
        self.log.seek(0)
        return self.log.read()


def health_check(env) -> subprocess.CompletedProcess:
    """The web service's exact health-check command, in this environment."""
    test = compose()["services"]["web"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    return subprocess.run(
        [sys.executable, *test[2:]], cwd=BASE, env=env, capture_output=True, text=True
    )


@pytest.fixture
def web(tmp_path):
    env = production_env(tmp_path, PORT=str(free_port()))
    server = Gunicorn(env)
    yield server, env
    if server.process.poll() is None:
        server.process.kill()
        server.process.communicate()


def test_health_check_passes_under_production_settings_with_a_foreign_host_list(web):
    server, env = web
    result = health_check(env)
    print("health check:", result.returncode, result.stdout.strip())
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"db": "ok"' in result.stdout
    # Only the health check skips host validation: a page asked for with that Host is refused.
    assert server.get("/", Host="127.0.0.1")[0] == 400
    https = {"Host": "organizer.conect.org", "X-Forwarded-Proto": "https"}
    assert server.get("/", **https)[0] == 302  # to the login page
    took, code, log = server.stop()
    print(f"gunicorn stopped {took:.2f} s after SIGTERM, exit {code}")
    assert code == 0 and took < 10, log
    shutdown = log[log.index("Handling signal: term") :]
    assert "ERROR" not in shutdown and "Shutting down: Master" in shutdown, shutdown


def test_database_down_is_a_calm_503_and_the_health_check_fails(tmp_path):
    closed = free_port()  # nothing listens there: PostgreSQL is "down"
    env = production_env(
        tmp_path, PORT=str(free_port()), DATABASE_URL=f"postgres://conect@127.0.0.1:{closed}/x"
    )
    server = Gunicorn(env)
    try:
        result = health_check(env)
        assert result.returncode == 1 and '"db": "down"' in result.stdout, result.stdout
        # A signed-in visitor: the session is in the database.
        https = {
            "Host": "organizer.conect.org",
            "X-Forwarded-Proto": "https",
            "Cookie": "sessionid=" + "a" * 32,
        }
        for path in ("/", "/people/", "/dues/", "/accounts/login/"):
            status, body = server.get(path, **https)
            assert status == 503, (path, body[:500])
            assert "will be right back" in body and "Traceback" not in body
        status, body = server.get("/", **https, **{"Accept-Language": "es"})
        assert status == 503 and 'lang="es"' in body and "volverá enseguida" in body
    finally:
        server.stop()


def run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        (None, "CONECT_SITE_URL is not set"),
        ("http://127.0.0.1:8000", "points at this machine"),
        ("https://localhost", "points at this machine"),
        ("organizer.conect.org", "is not an http(s) address"),
    ],
)
def test_a_production_server_without_a_usable_site_address_does_not_start(
    tmp_path, site_url, message
):
    env = production_env(tmp_path)
    env.pop("CONECT_SITE_URL")
    if site_url:
        env["CONECT_SITE_URL"] = site_url
    web = run(env, "-c", "import conect.wsgi")
    assert web.returncode != 0 and message in web.stderr
    deploy = run(env, "manage.py", "check", "--deploy", "--fail-level", "ERROR")
    if site_url is None:
        # Unset: the servers refuse to start (above, and beat below); the deploy check stays
        # clean so a build machine with no site configured can run it (the design contract).
        assert deploy.returncode == 0, deploy.stderr
        beat = run(env, "-m", "celery", "-A", "conect", "beat", "--loglevel=INFO")
        assert beat.returncode != 0 and "CONECT will not start" in beat.stderr
        assert message in beat.stderr
    else:
        assert deploy.returncode != 0 and "conect.E001" in deploy.stderr


def test_a_laptop_starts_without_a_site_address(tmp_path):
    env = production_env(tmp_path, DJANGO_DEBUG="1")
    env.pop("CONECT_SITE_URL")
    web = run(env, "-c", "import conect.wsgi")
    assert web.returncode == 0, web.stderr

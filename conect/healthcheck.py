"""Container health checks (docker-compose.yml runs these exact commands).

`python -m conect.healthcheck` asks the web server on 127.0.0.1:$PORT (8000) for /healthz/ and
exits 0 only on 200. The Host header is 127.0.0.1 whatever DJANGO_ALLOWED_HOSTS says:
conect.health.HealthCheckMiddleware answers the health check before host validation.

`python -m conect.healthcheck beat` exits 0 while beat keeps its schedule file fresh: beat
rewrites it as it sends the periodic sweeps (every few minutes), so an old file means a beat
that stopped ticking.
"""

import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BEAT_STALE_SECONDS = 10 * 60


def web(port: str) -> int:
    url = f"http://127.0.0.1:{port}/healthz/"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.status, response.read().decode()[:200])
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:  # 503 names what is down
        print(error.code, error.read().decode()[:200])
    except OSError as error:
        print(f"{url}: {error}")
    return 1


def beat(var_dir: Path, stale_after: float = BEAT_STALE_SECONDS) -> int:
    files = list(var_dir.glob("celerybeat-schedule*"))
    if not files:
        print(f"beat has not written {var_dir}/celerybeat-schedule yet")
        return 1
    age = time.time() - max(path.stat().st_mtime for path in files)
    print(f"beat's schedule was written {age:.0f} s ago")
    return 0 if age < stale_after else 1


def main(argv: list[str]) -> int:
    if argv[1:2] == ["beat"]:
        return beat(Path(os.environ.get("CONECT_VAR_DIR", "var")))
    return web(os.environ.get("PORT", "8000"))


if __name__ == "__main__":
    sys.exit(main(sys.argv))

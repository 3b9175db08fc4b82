"""gunicorn's settings (it reads this file from the working directory). Each is an environment
variable with a default that suits the compose stack; see .env.example."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (docker-compose stop) workers finish the requests in hand, within this many seconds:
# under compose's 10-second grace, so a stop never ends in SIGKILL.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "8"))
accesslog = "-"
# The TLS front (Caddy) is the only client; it sets X-Forwarded-Proto for Django.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

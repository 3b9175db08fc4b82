"""Bench settings (bench/README.md): the production settings plus what the bench measures with.

The bench serves the app with these under gunicorn, with DJANGO_DEBUG=0 and the rest of the
production environment, so it times what production runs. They add two things only:
- `bench.urls`: the app's URLs plus a floor view (login required + one primary-key query), the
  baseline every page is compared to; no other settings module serves it;
- `bench.middleware.QueryCountMiddleware`, outermost: every response says how many SQL queries
  it took (X-Query-Count) and how long the database spent on them (X-Query-Ms).
"""

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

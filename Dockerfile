# The production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CONECT_VAR_DIR=/var/lib/conect DJANGO_STATIC_ROOT=/app/staticfiles
# pg_dump/pg_restore for `manage.py backup`/`restore` (make backup), the server's version (15).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /app conect \
    && mkdir -p /var/lib/conect && chown conect /var/lib/conect
WORKDIR /app
# pyproject.toml lists the pinned dependencies and no packages: installing it installs them, so
# this layer is rebuilt only when the pins change. Compiled translations (.mo) are in the repo.
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY --chown=conect . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
USER conect
EXPOSE 8000
# Exec form: gunicorn is PID 1 and gets docker's SIGTERM (settings in gunicorn.conf.py).
CMD ["gunicorn", "conect.wsgi:application"]

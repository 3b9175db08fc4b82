"""`python -m conect.pgprobe URL`: exit 0 when a PostgreSQL server answers at URL, else 1."""

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    params = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=params["HOST"] or "127.0.0.1",
            port=params["PORT"] or 5432,
            user=params["USER"] or "postgres",
            password=params["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

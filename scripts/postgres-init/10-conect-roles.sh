#!/bin/sh
# The two database roles of CONECT Organizer (docs/operations.md "Database roles"):
#   CONECT_DB_OWNER (conect_owner) owns the database and its tables; only migrations, restores
#     and operators connect as it.
#   CONECT_DB_APP_USER (conect_app) is what web, worker and beat connect as: it reads and writes
#     rows (SELECT, INSERT, UPDATE, DELETE; sequences) and nothing else. It owns no table, so it
#     cannot disable or drop the ledger's append-only triggers, TRUNCATE, or change the schema.
# The postgres image runs this on an empty data volume (docker-compose.yml mounts this folder as
# /docker-entrypoint-initdb.d), as POSTGRES_USER. It is idempotent: on an existing database (a
# stack from before these roles) run it by hand and it hands the tables to the owner:
#   docker-compose exec -T db sh /docker-entrypoint-initdb.d/10-conect-roles.sh
# Passwords come from the environment, never from this file.
set -eu
: "${CONECT_DB_OWNER_PASSWORD:?set CONECT_DB_OWNER_PASSWORD}"
: "${CONECT_DB_APP_PASSWORD:?set CONECT_DB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 -X --quiet \
  --username "${POSTGRES_USER:-postgres}" --dbname "${CONECT_DB_ADMIN_DB:-postgres}" \
  -v db="${CONECT_DB_NAME:-conect}" \
  -v owner="${CONECT_DB_OWNER:-conect_owner}" \
  -v app="${CONECT_DB_APP_USER:-conect_app}" \
  -v owner_password="$CONECT_DB_OWNER_PASSWORD" \
  -v app_password="$CONECT_DB_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  NOINHERIT PASSWORD :'app_password';

SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";

\connect :"db"
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- A database made before these roles: its tables and trigger functions go to the owner (an
-- identity sequence follows its table; an extension's functions stay the extension's).
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'owner')
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'owner' \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', s.relname, :'owner')
  FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
  WHERE s.relkind = 'S' AND n.nspname = 'public' AND pg_get_userbyid(s.relowner) <> :'owner'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = s.oid AND d.deptype IN ('a', 'i'))
  \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') \gexec

-- Rows only, for the tables there are and for those migrations make later.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL

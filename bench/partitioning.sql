-- Would partitioning the one-on-ones by date pay? (docs/scaling.md "When to partition")
--
-- Run on a COPY of a bench database (it adds a table, and vacuums):
--   createdb -h 127.0.0.1 -U postgres -T conect_bench_1000000 conect_bench_part
--   psql -h 127.0.0.1 -U postgres -d conect_bench_part -f bench/partitioning.sql
--
-- Builds bench_oneonone_by_year, the same rows as relationships_oneonone partitioned by year of
-- held_on with the same indexes the pages use, then times the pages' kinds of one-on-one query
-- on both (300 ids drawn from the data, each asked once untimed, then timed: the mean in ms), and the maintenance that
-- grows with the table (VACUUM, an index build) on the whole table against one year's partition.
\timing off
\set ON_ERROR_STOP on
SET client_min_messages = notice;

DROP TABLE IF EXISTS bench_oneonone_by_year;
CREATE TABLE bench_oneonone_by_year (LIKE relationships_oneonone INCLUDING DEFAULTS)
    PARTITION BY RANGE (held_on);
DO $$
DECLARE y int;
BEGIN
    FOR y IN SELECT generate_series(
        (SELECT extract(year FROM min(held_on))::int FROM relationships_oneonone),
        extract(year FROM current_date)::int + 1)
    LOOP
        EXECUTE format(
            'CREATE TABLE bench_oneonone_%s PARTITION OF bench_oneonone_by_year '
            'FOR VALUES FROM (%L) TO (%L)', y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    END LOOP;
END $$;
INSERT INTO bench_oneonone_by_year SELECT * FROM relationships_oneonone;
CREATE INDEX ON bench_oneonone_by_year (author_id, held_on DESC);
CREATE INDEX ON bench_oneonone_by_year (person_id, held_on DESC);
CREATE INDEX ON bench_oneonone_by_year (congregation_id, held_on);
ANALYZE bench_oneonone_by_year;

SELECT relname AS partition, reltuples::bigint AS rows,
       pg_size_pretty(pg_total_relation_size(oid)) AS size
FROM pg_class WHERE relname LIKE 'bench_oneonone_2%' AND relkind = 'r' ORDER BY relname;

-- The queries the pages make, by kind: an author's last 12 weeks (the weekly counts), a person's
-- last ten meetings (a person page: no date bound), a congregation's last 30 days (the list's
-- activity column), and a pass over all history (the relational rebuild).
CREATE OR REPLACE FUNCTION pg_temp.mean_ms(q text, ids bigint[]) RETURNS numeric AS $$
DECLARE started timestamptz; i int; n int := array_length(ids, 1);
BEGIN
    FOR i IN 1..n LOOP EXECUTE q USING ids[i]; END LOOP;  -- once untimed: the same cache for both
    started := clock_timestamp();
    FOR i IN 1..n LOOP EXECUTE q USING ids[i]; END LOOP;
    RETURN round((extract(epoch FROM clock_timestamp() - started) * 1000 / n)::numeric, 3);
END $$ LANGUAGE plpgsql;

WITH authors AS (SELECT array_agg(author_id) AS ids FROM (
        SELECT author_id FROM relationships_oneonone GROUP BY 1 ORDER BY random() LIMIT 300) a),
     people AS (SELECT array_agg(person_id) AS ids FROM (
        SELECT person_id FROM relationships_oneonone TABLESAMPLE SYSTEM (1) LIMIT 300) p),
     congregations AS (SELECT array_agg(c) AS ids FROM (
        SELECT (SELECT id FROM congregations_congregation ORDER BY random() + g * 0 LIMIT 1) c
        FROM generate_series(1, 300) g) c),
     kinds(kind, q, ids) AS (VALUES
        ('author, last 12 weeks',
         'SELECT count(*) FROM %s WHERE author_id = $1 AND held_on >= current_date - 84',
         (SELECT ids FROM authors)),
        ('person, last 10 (no date bound)',
         'SELECT id FROM %s WHERE person_id = $1 ORDER BY held_on DESC LIMIT 10',
         (SELECT ids FROM people)),
        ('congregation, last 30 days',
         'SELECT count(*) FROM %s WHERE congregation_id = $1 AND held_on >= current_date - 30',
         (SELECT ids FROM congregations)))
SELECT kind,
       pg_temp.mean_ms(format(q, 'relationships_oneonone'), ids) AS plain_ms,
       pg_temp.mean_ms(format(q, 'bench_oneonone_by_year'), ids) AS partitioned_ms
FROM kinds;

\timing on
\echo 'all history, by month: plain'
SELECT count(*) FROM (SELECT date_trunc('month', held_on), count(*)
                      FROM relationships_oneonone GROUP BY 1) m;
\echo 'all history, by month: partitioned'
SELECT count(*) FROM (SELECT date_trunc('month', held_on), count(*)
                      FROM bench_oneonone_by_year GROUP BY 1) m;
\echo 'VACUUM (FREEZE): the whole table, then this year''s partition'
VACUUM (FREEZE) relationships_oneonone;
SELECT format('VACUUM (FREEZE) bench_oneonone_%s', extract(year FROM current_date)) \gexec
\echo 'an index build: the whole table, then this year''s partition'
CREATE INDEX bench_plain_author ON relationships_oneonone (author_id, held_on DESC);
SELECT format('CREATE INDEX bench_year_author ON bench_oneonone_%s (author_id, held_on DESC)',
              extract(year FROM current_date)) \gexec
\timing off
DROP INDEX bench_plain_author;
DROP TABLE bench_oneonone_by_year;

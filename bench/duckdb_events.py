"""The peer measurement for event logs: DuckDB reads the same case file and event file, pivots
the events (GROUP BY case, MIN(date) per stage, the furthest stage any event shows) and counts
the same per-crime-type funnel.

Run by bench/run inside a throw-away virtual environment; DuckDB is never a dependency of
attrition itself.
"""
import sys

from peer import measure

folder, runs = sys.argv[1], int(sys.argv[2])
# What each event type of `attrition sample --format events` shows about the stage reached.
meanings = [("Crime Recorded", 0), ("Status Review", 0), ("Referred to CPS", 1), ("Charged", 2), ("First Hearing", 3),
            ("Convicted", 4), ("Court: convicted", 4), ("Court: acquitted", 3), ("Court: discontinued", 0), ("Outcome 1", 2)]
values = ", ".join(f"('{name}', {stage})" for name, stage in meanings)
query = f"""
WITH events AS (
    SELECT "URN" AS id, "Event Type" AS type, CAST("Event Date" AS DATE) AS day
    FROM read_csv('{folder}/events.csv', header = true, all_varchar = true)),
per_case AS (
    SELECT id,
           MIN(day) FILTER (WHERE type = 'Crime Recorded') AS reported,
           MIN(day) FILTER (WHERE type = 'Referred to CPS') AS referred,
           MIN(day) FILTER (WHERE type = 'Charged') AS charged,
           MIN(day) FILTER (WHERE type = 'First Hearing') AS prosecuted,
           MIN(day) FILTER (WHERE type = 'Convicted') AS convicted,
           MAX(coalesce(m.stage, 0)) AS stage
    FROM events LEFT JOIN meanings m USING (type) GROUP BY id),
cases AS (SELECT "URN" AS id, "Offence" AS type FROM read_csv('{folder}/cases.csv', header = true, all_varchar = true))
SELECT c.type, count(*), count(*) FILTER (WHERE p.stage >= 1), count(*) FILTER (WHERE p.stage >= 2),
       count(*) FILTER (WHERE p.stage >= 3), count(*) FILTER (WHERE p.stage >= 4)
FROM cases c LEFT JOIN per_case p USING (id) GROUP BY c.type ORDER BY lower(c.type), c.type
"""
rows = measure("duckdb.events", runs, [f"CREATE TABLE meanings AS SELECT * FROM (VALUES {values}) AS t(type, stage)"], query)
print("duckdb.events.counts=" + ";".join(f"{t}:{r}/{a}/{c}/{p}/{v}" for t, r, a, c, p, v in rows))

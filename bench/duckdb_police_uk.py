"""The peer measurement for police.uk data: DuckDB reads the same street and outcome CSVs
(globs over the folder), joins the outcomes to their crimes and computes the same
per-crime-type funnel in SQL (the furthest stage of any event, police-uk contract section 5).

Run by bench/run inside a throw-away virtual environment; DuckDB is never a dependency of
attrition itself.
"""
import sys

from peer import measure

folder, runs = sys.argv[1], int(sys.argv[2])
stages = {
    "under investigation": 0, "status update unavailable": 0, "investigation complete; no suspect identified": 0,
    "unable to prosecute suspect": 0, "formal action is not in the public interest": 0,
    "further investigation is not in the public interest": 0, "further action is not in the public interest": 0,
    "action to be taken by another organisation": 0, "offender given a caution": 0,
    "offender given a drugs possession warning": 0, "offender given penalty notice": 0, "local resolution": 0,
    "suspect charged": 2, "suspect charged as part of another case": 2, "awaiting court outcome": 2,
    "court case unable to proceed": 2, "court result unavailable": 2, "defendant sent to crown court": 3,
    "defendant found not guilty": 3, "offender sent to prison": 4, "offender given suspended prison sentence": 4,
    "offender given community sentence": 4, "offender fined": 4, "offender given conditional discharge": 4,
    "offender given absolute discharge": 4, "offender ordered to pay compensation": 4,
    "offender deprived of property": 4, "offender otherwise dealt with": 4,
}
values = ", ".join(f"('{name}', {stage})" for name, stage in stages.items())
query = f"""
WITH street AS (
    SELECT "Crime ID" AS id, "Crime type" AS type, lower(trim("Last outcome category")) AS cat
    FROM read_csv('{folder}/**/*-street.csv', header = true, all_varchar = true)
    WHERE "Crime ID" IS NOT NULL AND trim("Crime ID") <> ''),
crimes AS (SELECT id, any_value(type) AS type, any_value(cat) AS cat FROM street GROUP BY id),
outcomes AS (
    SELECT "Crime ID" AS id, lower(trim("Outcome type")) AS cat
    FROM read_csv('{folder}/**/*-outcomes.csv', header = true, all_varchar = true)),
events AS (SELECT id, cat FROM crimes UNION ALL SELECT o.id, o.cat FROM outcomes o SEMI JOIN crimes c ON o.id = c.id),
furthest AS (SELECT e.id, max(coalesce(s.stage, 0)) AS stage FROM events e LEFT JOIN stages s USING (cat) GROUP BY e.id)
SELECT type, count(*), count(*) FILTER (WHERE stage >= 2), count(*) FILTER (WHERE stage >= 3), count(*) FILTER (WHERE stage >= 4)
FROM furthest JOIN crimes USING (id) GROUP BY type ORDER BY lower(type), type
"""
rows = measure("duckdb.police_uk", runs, [f"CREATE TABLE stages AS SELECT * FROM (VALUES {values}) AS t(cat, stage)"], query)
print("duckdb.police_uk.counts=" + ";".join(f"{t}:{r}/{c}/{p}/{v}" for t, r, c, p, v in rows))

"""The peer measurement: DuckDB reads the same case file and runs the same GROUP BY.

Run by bench/run inside a throw-away virtual environment; DuckDB is never a dependency of
attrition itself.
"""
import sys

import duckdb
from peer import measure

path, runs = sys.argv[1], int(sys.argv[2])
query = """
SELECT bcu,
       count(*) AS reported,
       count(*) FILTER (WHERE referred_date IS NOT NULL OR charged_date IS NOT NULL
                        OR prosecuted_date IS NOT NULL OR convicted_date IS NOT NULL) AS referred,
       count(*) FILTER (WHERE charged_date IS NOT NULL OR CAST(police_outcome AS VARCHAR) = '1'
                        OR prosecuted_date IS NOT NULL OR convicted_date IS NOT NULL) AS charged,
       count(*) FILTER (WHERE convicted_date IS NOT NULL OR lower(court_outcome) = 'convicted') AS convicted
FROM cases GROUP BY bcu ORDER BY bcu
"""
print(f"duckdb.version={duckdb.__version__}")
measure("duckdb", runs, [f"CREATE TABLE cases AS SELECT * FROM read_csv('{path}', header = true)"], query)

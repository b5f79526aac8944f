"""The peer measurement: DuckDB reads the same case file and runs the same GROUP BY.

Run by bench/run inside a throw-away virtual environment; DuckDB is never a dependency of
attrition itself.
"""
import resource
import statistics
import sys
import time

import duckdb

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
times = []
for _ in range(runs):
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{path}', header = true)")
    con.execute(query).fetchall()
    times.append(time.perf_counter() - start)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()

print(f"duckdb.version={duckdb.__version__}")
print(f"duckdb.threads={threads}")
print(f"duckdb.import_seconds_median={statistics.median(times):.3f}")
print(f"duckdb.import_seconds_all={' '.join(f'{t:.3f}' for t in times)}")
print(f"duckdb.peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6:.1f}")

"""What the DuckDB peer measurements share: run a query `runs` times on a fresh connection,
time it, and print the figures under one prefix. DuckDB comes from PyPI into .bench/venv for
benchmarking only; it is never a dependency of attrition itself."""
import resource
import statistics
import time

import duckdb


def measure(prefix, runs, setup, query):
    """Times `setup` statements plus `query` on a fresh connection per run; prints the medians
    and returns the last run's rows."""
    times, rows = [], []
    for _ in range(runs):
        con = duckdb.connect()
        start = time.perf_counter()
        for statement in setup:
            con.execute(statement)
        rows = con.execute(query).fetchall()
        times.append(time.perf_counter() - start)
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        con.close()
    print(f"{prefix}.threads={threads}")
    print(f"{prefix}.seconds_median={statistics.median(times):.3f}")
    print(f"{prefix}.seconds_all={' '.join(f'{t:.3f}' for t in times)}")
    print(f"{prefix}.peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6:.1f}")
    return rows

"""``python -m fhub_dev.bench``: benchmark the nightly pipeline against the DuckDB-only limit (issue 7).

See docs/performance.md. Modules: :mod:`.memory` (process-tree peak memory), :mod:`.runner` (timed child
processes), :mod:`.stages` (stage times from the flow's log), :mod:`.dbtlog` (per-node dbt times),
:mod:`.limit` (DuckDB-only limit), :mod:`.result` (figures and targets), :mod:`.table` (BENCHMARKS.md),
:mod:`.cli` (the benchmark itself).
"""

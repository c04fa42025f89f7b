"""The two small real-data reads the demo needs, kept local to the demo package.

* LSOA 2011 codes of each London borough with their IMD 2019 decile (IoD2019 File 1, XLSX) — home
  addresses and hub locations are real LSOAs of the borough. Reading the XLSX takes a few seconds, so
  the London subset is cached as a small CSV under ``$FHUB_DATA_DIR/cache/`` (keyed by file size and
  mtime).
* Each borough's published GLD rate per year (DfE LAIT ``bds_long_0.parquet``, ``FSP_NEW_GOODDEV``) for
  calibrating the synthetic EYFSP results.

The full reference adapters (all of England, every indicator, with reporting of odd content) live in
``fhub/reference/``; these readers return ``None`` when the files are absent so the demo still runs.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from fhub.settings import Paths

IMD_FILE = (
    Path("nani2357__Warrington_deprivation_index") / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
)
LAIT_FILE = Path("dfe-analytical-services__local-authority-interactive-tool") / "bds_long_0.parquet"
GLD_MEASURE = "FSP_NEW_GOODDEV"
#: LAIT "Years" value → academic year (the year of the summer term).
LAIT_YEARS = {"2022": "2021/22", "2023": "2022/23", "2024": "2023/24", "2025": "2024/25"}
DEFAULT_GLD = 0.68


def london_lsoas(
    real_data_dir: Path | None, cache_dir: Path | None = None
) -> dict[str, list[tuple[str, int]]]:
    """``{borough_code: [(lsoa_code, imd_decile), ...]}`` for E09 districts, or ``{}`` without the file."""
    if real_data_dir is None:
        return {}
    path = Path(real_data_dir) / IMD_FILE
    if not path.exists():
        return {}
    stat = path.stat()
    cache_dir = cache_dir or Paths.from_env().data / "cache"
    cache = cache_dir / f"demo_london_lsoas_{stat.st_size}_{int(stat.st_mtime)}.csv"
    out: dict[str, list[tuple[str, int]]] = {}
    if cache.exists():
        with open(cache, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                out.setdefault(row[0], []).append((row[1], int(row[2])))
        return out
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb["IMD2019"] if "IMD2019" in wb.sheetnames else wb.worksheets[-1]
        rows = ws.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        i_lsoa = header.index("LSOA code (2011)")
        i_lad = header.index("Local Authority District code (2019)")
        i_dec = next(
            i for i, h in enumerate(header) if h.startswith("Index of Multiple Deprivation (IMD) Decile")
        )
        for row in rows:
            lad = row[i_lad]
            if isinstance(lad, str) and lad.startswith("E09"):
                out.setdefault(lad, []).append((str(row[i_lsoa]), int(row[i_dec])))
    finally:
        wb.close()
    for rows_ in out.values():
        rows_.sort()
    _write_cache(cache, [[lad, lsoa, dec] for lad in sorted(out) for lsoa, dec in out[lad]])
    return out


def published_gld_rates(real_data_dir: Path | None) -> dict[str, dict[str, float]]:
    """``{la_name: {academic_year: rate 0..1}}`` from LAIT, or ``{}`` without the file. "-" is skipped."""
    if real_data_dir is None:
        return {}
    path = Path(real_data_dir) / LAIT_FILE
    if not path.exists():
        return {}
    stat = path.stat()
    cache = Paths.from_env().data / "cache" / f"demo_lait_gld_{stat.st_size}_{int(stat.st_mtime)}.csv"
    out: dict[str, dict[str, float]] = {}
    if cache.exists():
        with open(cache, newline="", encoding="utf-8") as fh:
            for la, ay, rate in csv.reader(fh):
                out.setdefault(la, {})[ay] = float(rate)
        return out
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["Short Desc", "Years", "LA and Regions", "Values"])
    table = table.filter(pc.equal(table["Short Desc"], GLD_MEASURE))
    for year, la, value in zip(
        table["Years"].to_pylist(),
        table["LA and Regions"].to_pylist(),
        table["Values"].to_pylist(),
        strict=True,
    ):
        ay = LAIT_YEARS.get(str(year))
        if ay is None or value is None:
            continue
        try:
            rate = float(str(value).strip()) / 100.0
        except ValueError:
            continue  # "-" (not collected / suppressed)
        out.setdefault(str(la).strip(), {})[ay] = rate
    _write_cache(cache, [[la, ay, repr(rate)] for la in sorted(out) for ay, rate in sorted(out[la].items())])
    return out


def _write_cache(cache: Path, rows: list[list[object]]) -> None:
    """Best-effort atomic write of a small cache CSV (a cache is an optimisation only)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        os.replace(tmp, cache)
    except OSError:
        pass


def gld_target(rates: dict[str, dict[str, float]], borough_name: str, academic_year: str) -> float:
    """Published GLD rate of a borough for a year; later years than published reuse the latest
    (2025/26 → 2024/25); earlier years reuse the earliest; default ~68 % without data."""
    by_year = rates.get(borough_name)
    if not by_year:
        return DEFAULT_GLD
    if academic_year in by_year:
        return by_year[academic_year]
    years = sorted(by_year)
    return by_year[years[-1]] if academic_year > years[-1] else by_year[years[0]]

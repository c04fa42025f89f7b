"""Generate borough deliveries (``incoming/<slug>/<file>``) in each borough's dialect, deterministically.

Scales (``last academic year`` is always 2025/26; ``years`` counts back from it):

========  ===========================================  ======  ====================  ======================
scale     authorities                                  years   EYFSP pupils/borough  mapping files read from
========  ===========================================  ======  ====================  ======================
tiny      hackney, merton, westminster (one per        2       ~50                   config/boroughs
          dialect)
demo      the 8 demo boroughs                          3       150–300               config/boroughs
london    all 33 London boroughs                       5       ~3,000 (City ~60)     <data>/config/boroughs-london
national  33 London + up to 117 other English LAs with 3       800–3,500             <data>/config/boroughs-national
          synthetic codes ``E99<dfe code>`` (names and
          GLD rates from LAIT when present)
========  ===========================================  ======  ====================  ======================

For london/national the mapping files are rendered from each borough's dialect template into the config
folder (existing files there are kept, so they can be edited); landing must be pointed at that folder. For
national, ``extra_boroughs.csv`` (synthetic codes, read by :func:`fhub.landing.mapping.load_borough_mappings`) and
``extra_family_hubs.csv`` (their hubs) are written there too.

One borough is generated at a time and written period by period, so memory is bounded by the largest
borough, not the whole run.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fhub.contracts import CONTRACTS
from fhub.landing.mapping import BoroughMapping, FileSpec, load_borough_mapping
from fhub.settings import Paths
from fhub_dev.demo.arrivals import Arrivals
from fhub_dev.demo.boroughs import (
    DEMO_BOROUGHS,
    TINY_BOROUGHS,
    DemoBorough,
    london_boroughs,
    write_mapping_configs,
)
from fhub_dev.demo.dialects import DIALECTS, EXTRA_COLUMNS, RAW_IDENTIFIER_COLUMNS
from fhub_dev.demo.files import Frame, date_of, day_of, file_name_for, take, write_file
from fhub_dev.demo.hubs import Hub, load_family_hubs
from fhub_dev.demo.incomplete import INCOMPLETE_EYFSP, leave_out_school
from fhub_dev.demo.model import BoroughModel, BoroughParams, IdFormat, Window, ay_label
from fhub_dev.demo.realdata import gld_target, london_lsoas, published_gld_rates

LAST_ACADEMIC_YEAR = 2025  # 2025/26
#: EYFSP files arrive in the autumn after the academic year (about 5-8 weeks after it ends)
EYFSP_EXTRA_LAG_DAYS = 30
_USE_ENV = object()


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    births: tuple[int, int]
    contacts_per_year: float = 4.5


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 2, (50, 50)),
    "demo": Scale("demo", 3, (150, 300)),
    "london": Scale("london", 5, (2400, 3900), contacts_per_year=7.8),
    "national": Scale("national", 3, (800, 3500)),
}


@dataclass
class GenerationSummary:
    out_dir: Path
    config_dir: Path
    scale: str
    seed: int
    academic_years: list[str]
    files: list[Path] = field(default_factory=list)
    #: rows written per borough slug and extract
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    #: achieved GLD rate (complete profiles) and its calibration target, per borough slug and year
    gld: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    #: the period each file covers (its arrival date follows from it: fhub/demo/arrivals.py)
    periods: dict[Path, str] = field(default_factory=dict)
    #: pupils left out of the deliberately incomplete EYFSP file (fhub/demo/incomplete.py), per slug and year
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def total(self, extract: str) -> int:
        return sum(by_extract.get(extract, 0) for by_extract in self.rows.values())

    def describe(self) -> str:
        lines = [
            f"{len(self.files)} files for {len(self.rows)} boroughs in {self.out_dir} "
            f"(scale {self.scale}, seed {self.seed}, {', '.join(self.academic_years)}; "
            f"mappings in {self.config_dir}; {self.seconds:.1f}s)"
        ]
        lines.append("  " + ", ".join(f"{e} {self.total(e):,}" for e in CONTRACTS))
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# authorities per scale
# --------------------------------------------------------------------------------------------------
def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _national_authorities(real_data_dir: Path | None) -> list[DemoBorough]:
    london = london_boroughs()
    names: list[tuple[int, str]] = []
    if real_data_dir is not None:
        path = (
            Path(real_data_dir)
            / "dfe-analytical-services__local-authority-interactive-tool"
            / "bds_long_0.parquet"
        )
        if path.exists():
            import pyarrow.compute as pc
            import pyarrow.parquet as pq

            t = pq.read_table(path, columns=["Short Desc", "LA and Regions", "LA Number", "Region"])
            t = t.filter(pc.equal(t["Short Desc"], "FSP_NEW_GOODDEV"))
            seen = set()
            for la, num, region in zip(
                t["LA and Regions"].to_pylist(),
                t["LA Number"].to_pylist(),
                t["Region"].to_pylist(),
                strict=True,
            ):
                try:
                    code = int(float(str(num)))
                except ValueError:
                    continue
                if 330 <= code < 970 and "London" not in str(region) and la not in seen:
                    seen.add(la)
                    names.append((code, str(la)))
    names.sort()
    if not names:
        names = [(400 + i, f"Authority {400 + i}") for i in range(117)]
    out = list(london)
    for i, (code, name) in enumerate(names[:117]):
        out.append(
            DemoBorough(
                borough_code=f"E99{code:06d}",
                borough_name=name,
                slug=_slugify(name),
                prefix=f"N{code:03d}",
                dialect=DIALECTS[i % 3],
                inner=False,
            )
        )
    return out


def authorities(scale: str, boroughs: list[str] | None, real_data_dir: Path | None) -> list[DemoBorough]:
    pool = _national_authorities(real_data_dir) if scale == "national" else london_boroughs()
    by_slug = {b.slug: b for b in pool}
    if boroughs:
        unknown = [s for s in boroughs if s not in by_slug]
        if unknown:
            raise ValueError(
                f"unknown borough slug(s): {', '.join(unknown)}; use e.g. {', '.join(DEMO_BOROUGHS)}"
            )
        return [by_slug[s] for s in boroughs]
    if scale == "tiny":
        return [by_slug[s] for s in TINY_BOROUGHS]
    if scale == "demo":
        return [by_slug[s] for s in DEMO_BOROUGHS]
    return pool


# --------------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------------
def _period_of_month(m: int, period_format: str) -> str:
    """Canonical period of month index ``m`` (months since 1970-01)."""
    y, mo = 1970 + m // 12, m % 12 + 1
    if period_format == "month":
        return f"{y}-{mo:02d}"
    if period_format == "quarter":
        fy = y if mo >= 4 else y - 1
        return f"{fy}/{(fy + 1) % 100:02d} Q{((mo - 4) % 12) // 3 + 1}"
    raise ValueError(period_format)


def _periods(window: Window, period_format: str) -> list[str]:
    m0 = (window.first_ay - 1970) * 12 + 8
    m1 = (window.first_ay + window.n_years - 1970) * 12 + 7
    out: list[str] = []
    for m in range(m0, m1 + 1):
        p = _period_of_month(m, period_format)
        if not out or out[-1] != p:
            out.append(p)
    return out


def _period_index(days: np.ndarray, period_format: str, periods: list[str]) -> np.ndarray:
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    uniq, inv = np.unique(months, return_inverse=True)
    pos = {p: i for i, p in enumerate(periods)}
    lookup = np.array([pos.get(_period_of_month(int(m), period_format), -1) for m in uniq], dtype=np.int64)
    return lookup[inv] if days.size else np.zeros(0, dtype=np.int64)


# --------------------------------------------------------------------------------------------------
# one borough
# --------------------------------------------------------------------------------------------------
def _code_number(code: str) -> int:
    return int(re.sub(r"\D", "", code) or 0)


def _synthetic_lsoas(code: str, rng: np.random.Generator) -> list[tuple[str, int]]:
    base = 900000 + (_code_number(code) % 1000) * 200
    return [(f"E01{base + i:06d}", int(d)) for i, d in enumerate(rng.integers(1, 11, size=130), start=1)]


def _synthetic_hubs(b: DemoBorough, rng: np.random.Generator, lsoas: list[tuple[str, int]]) -> list[Hub]:
    n = int(rng.integers(3, 7))
    hubs = [
        Hub(
            f"{b.prefix}-{i:02d}",
            f"{b.borough_name} Family Hub {i}",
            b.borough_code,
            lsoas[i * 7 % len(lsoas)][0],
            "2020-04-01",
        )
        for i in range(1, n + 1)
    ]
    hubs.append(Hub(f"{b.prefix}-OUT", f"{b.borough_name} outreach", b.borough_code, "", "2019-04-01"))
    hubs.append(Hub(f"{b.prefix}-VIR", f"{b.borough_name} virtual", b.borough_code, "", "2020-04-01"))
    return hubs


def _synthetic_reference(b: DemoBorough, seed: int) -> tuple[list[tuple[str, int]], list[Hub]]:
    """Synthetic LSOAs (E01 9xxxxx, not real codes) and hubs for an authority without real reference data."""
    rng = np.random.default_rng([seed, _code_number(b.borough_code), 4])
    lsoas = _synthetic_lsoas(b.borough_code, rng)
    return lsoas, _synthetic_hubs(b, rng, lsoas)


@dataclass
class _Context:
    seed: int
    scale: Scale
    window: Window
    lsoas: dict[str, list[tuple[str, int]]]
    hubs: dict[str, list[Hub]]
    gld_rates: dict[str, dict[str, float]]


def _model(ctx: _Context, b: DemoBorough) -> tuple[BoroughModel, list[Hub]]:
    code_n = _code_number(b.borough_code)
    side = np.random.default_rng([ctx.seed, code_n, 1])
    lo, hi = ctx.scale.births
    births = int(side.integers(lo, hi + 1))
    if b.borough_code == "E09000001" and ctx.scale.name in ("london", "national"):
        births = 60  # the City of London has few resident children
    syn_lsoas, syn_hubs = _synthetic_reference(b, ctx.seed)
    lsoas = ctx.lsoas.get(b.borough_code) or syn_lsoas
    hubs = ctx.hubs.get(b.borough_code) or syn_hubs
    targets = {
        ay: gld_target(ctx.gld_rates, b.borough_name, ay_label(ay)) for ay in ctx.window.academic_years
    }
    params = BoroughParams(
        births_per_year=births, gld_targets=targets, contacts_per_year=ctx.scale.contacts_per_year
    )
    model = BoroughModel(
        np.random.default_rng([ctx.seed, code_n, 0]),
        ctx.window,
        params,
        lsoas,
        [h.hub_id for h in hubs],
        b.prefix,
        IdFormat(b.dialect),
    )
    return model, hubs


def _extras(
    b: DemoBorough, extract: str, ids: dict[str, np.ndarray], n: int, rng: np.random.Generator, frame: Frame
) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for header in RAW_IDENTIFIER_COLUMNS.get(b.dialect, {}).get(extract, ()):
        out[header] = ids[header][:n] if header in ids else np.full(n, "", dtype=object)
    for header in EXTRA_COLUMNS.get(b.dialect, {}).get(extract, ()):
        if header == "Notes":
            notes = np.full(n, "", dtype=object)
            notes[rng.random(n) < 0.05] = "Follow-up booked"
            out[header] = notes
        elif header == "SchoolName":
            out[header] = np.array(
                [f"Primary School {u}" for u in frame["school_urn"].tolist()], dtype=object
            )
    return out


def _titles(b: DemoBorough, extract: str, period: str) -> list[str]:
    return [
        f"{b.borough_name} Family Hubs - {extract} export",
        f"Reporting period: {period}. Synthetic demonstration data.",
    ]


def _write_periods(
    b: DemoBorough,
    mapping: BoroughMapping,
    spec: FileSpec,
    frame: Frame,
    days: np.ndarray,
    periods: list[str],
    extras: dict[str, np.ndarray],
    out: Path,
    rng: np.random.Generator,
    summary: GenerationSummary,
) -> None:
    idx = _period_index(days, spec.period_format, periods)
    order = np.argsort(idx, kind="stable")
    bounds = np.searchsorted(idx[order], np.arange(len(periods) + 1))
    for k, period in enumerate(periods):
        sel = order[bounds[k] : bounds[k + 1]]
        if sel.size == 0:
            continue  # no activity in the period: no file (boroughs do not send header-only files here)
        path = out / file_name_for(mapping, spec, period)
        sub_extras = {h: a[sel] for h, a in extras.items()}
        n = write_file(path, spec, take(frame, sel), sub_extras, rng, _titles(b, spec.extract, period))
        summary.files.append(path)
        summary.periods[path] = period
        summary.rows[b.slug][spec.extract] = summary.rows[b.slug].get(spec.extract, 0) + n


def _bulk_spec(mapping: BoroughMapping, extract: str) -> FileSpec:
    for spec in mapping.files:
        if spec.extract == extract and spec.period_format != "day":
            return spec
    raise ValueError(f"{mapping.source_file}: no non-daily file spec for {extract}")


def _generate_borough(
    ctx: _Context, b: DemoBorough, mapping: BoroughMapping, out_dir: Path, summary: GenerationSummary
) -> None:
    code_n = _code_number(b.borough_code)
    wrng = np.random.default_rng([ctx.seed, code_n, 2])
    model, _ = _model(ctx, b)
    out = out_dir / b.slug
    out.mkdir(parents=True, exist_ok=True)
    summary.rows[b.slug] = {}
    w = ctx.window

    spec = _bulk_spec(mapping, "register")
    frame, days, ids = model.register()
    extras = _extras(b, "register", ids, days.size, wrng, frame)
    _write_periods(b, mapping, spec, frame, days, _periods(w, spec.period_format), extras, out, wrng, summary)

    spec = _bulk_spec(mapping, "contacts")
    frame, days = model.contacts(w.start, w.end)
    _write_periods(b, mapping, spec, frame, days, _periods(w, spec.period_format), {}, out, wrng, summary)
    del frame, days

    for extract, make in (("referrals", model.referrals), ("assessments", model.assessments)):
        spec = _bulk_spec(mapping, extract)
        frame, days = make()
        _write_periods(b, mapping, spec, frame, days, _periods(w, spec.period_format), {}, out, wrng, summary)

    spec = _bulk_spec(mapping, "eyfsp")
    summary.gld[b.slug] = {}
    eyfsp_files = {file_name_for(mapping, spec, ay_label(ay)) for ay in w.academic_years}
    for ay in w.academic_years:
        frame, ids, rate = model.eyfsp(ay)
        n = len(frame["pupil_id"])
        extras = _extras(b, "eyfsp", ids, n, wrng, frame)
        label = ay_label(ay)
        if INCOMPLETE_EYFSP.get(b.slug) == label:  # deliberately misses a school (issue 16)
            frame, extras, left_out = leave_out_school(frame, extras)
            summary.left_out.setdefault(b.slug, {})[label] = left_out
        path = out / file_name_for(mapping, spec, label)
        rows = write_file(path, spec, frame, extras, wrng, _titles(b, "eyfsp", label))
        summary.files.append(path)
        summary.periods[path] = label
        summary.rows[b.slug]["eyfsp"] = summary.rows[b.slug].get("eyfsp", 0) + rows
        summary.gld[b.slug][label] = (rate, model.params.gld_targets[ay])
    arrivals = Arrivals(ctx.seed, code_n)  # files arrive over the years, not all tonight (fhub/demo/arrivals.py)
    for path in [p for p in summary.files if p.parent == out]:
        arrivals.date(path, summary.periods[path], extra_days=EYFSP_EXTRA_LAG_DAYS if path.name in eyfsp_files
                      else 0)


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------
def _prepare(
    out_dir: Path | str,
    scale: str,
    seed: int,
    boroughs: list[str] | None,
    years: int | None,
    config_dir: Path | str | None,
    real_data_dir: object,
) -> tuple[_Context, list[DemoBorough], dict[str, BoroughMapping], Path, Path]:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    paths = Paths.from_env()
    real = paths.real_data if real_data_dir is _USE_ENV else real_data_dir
    real = Path(real) if real is not None and Path(real).exists() else None
    sc = SCALES[scale]
    n_years = years or sc.years
    window = Window(LAST_ACADEMIC_YEAR - n_years + 1, n_years)
    out_dir = Path(out_dir)
    committed = paths.borough_config
    if config_dir is None:
        config_dir = (
            committed if scale in ("tiny", "demo") else out_dir.parent / "config" / f"boroughs-{scale}"
        )
    config_dir = Path(config_dir)
    chosen = authorities(scale, boroughs, real)
    missing = [b for b in chosen if not (config_dir / f"{b.slug}.yml").exists()]
    if missing:
        if config_dir.resolve() == committed.resolve():
            raise ValueError(
                f"no mapping file in {config_dir} for: {', '.join(b.slug for b in missing)}. Pass --config-dir "
                "to a separate folder; the generator renders the missing mapping files there."
            )
        write_mapping_configs(config_dir, missing)
    hubs = load_family_hubs()
    extra_codes = [b for b in chosen if not b.borough_code.startswith("E09")]
    ctx = _Context(seed, sc, window, london_lsoas(real), hubs, published_gld_rates(real))
    if extra_codes:
        _write_national_reference(config_dir, extra_codes, ctx)
    codes = {b.borough_code for b in london_boroughs()} | {b.borough_code for b in extra_codes}
    mappings = {
        b.slug: load_borough_mapping(config_dir / f"{b.slug}.yml", borough_codes=codes) for b in chosen
    }
    for b in chosen:
        if mappings[b.slug].borough_code != b.borough_code:
            raise ValueError(
                f"{config_dir / (b.slug + '.yml')}: borough_code {mappings[b.slug].borough_code} "
                f"is not {b.borough_name}'s {b.borough_code}"
            )
    return ctx, chosen, mappings, out_dir, config_dir


def _write_national_reference(config_dir: Path, extra: list[DemoBorough], ctx: _Context) -> None:
    import csv

    from fhub.landing.mapping import EXTRA_BOROUGHS_FILE, EXTRA_HUBS_FILE

    with open(config_dir / EXTRA_BOROUGHS_FILE, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["borough_code", "borough_name", "slug"])
        for b in extra:
            w.writerow([b.borough_code, b.borough_name, b.slug])
    with open(config_dir / EXTRA_HUBS_FILE, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["hub_id", "hub_name", "borough_code", "lsoa_code", "opened_on"])
        for b in extra:
            for h in _synthetic_reference(b, ctx.seed)[1]:
                w.writerow([h.hub_id, h.hub_name, h.borough_code, h.lsoa_code, h.opened_on])


def generate(
    out_dir: Path | str,
    scale: str = "demo",
    seed: int = 42,
    *,
    boroughs: list[str] | None = None,
    years: int | None = None,
    config_dir: Path | str | None = None,
    real_data_dir: Path | str | None | object = _USE_ENV,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write every borough's deliveries for ``scale`` under ``out_dir/<slug>/``.

    ``boroughs`` (slugs) overrides the scale's list; ``years`` the number of academic years (ending
    2025/26); ``config_dir`` where mapping files are read (and, unless it is the committed
    ``config/boroughs``, rendered when missing); ``real_data_dir`` the real public files (default
    ``FHUB_REAL_DATA_DIR`` / ``../shared/data/real``; ``None`` = synthetic LSOAs and ~68 % GLD).
    Byte-identical output for the same arguments.
    """
    t0 = time.perf_counter()
    ctx, chosen, mappings, out_dir, config_dir = _prepare(
        out_dir, scale, seed, boroughs, years, config_dir, real_data_dir
    )
    summary = GenerationSummary(
        out_dir, config_dir, scale, seed, [ay_label(a) for a in ctx.window.academic_years]
    )
    for b in chosen:
        t1 = time.perf_counter()
        _generate_borough(ctx, b, mappings[b.slug], out_dir, summary)
        if progress:
            counts = ", ".join(f"{e} {n:,}" for e, n in summary.rows[b.slug].items())
            progress(f"{b.slug} ({b.dialect}): {counts} [{time.perf_counter() - t1:.1f}s]")
    summary.seconds = time.perf_counter() - t0
    return summary


def generate_day(
    out_dir: Path | str,
    day: dt.date | str,
    scale: str = "demo",
    seed: int = 42,
    *,
    boroughs: list[str] | None = None,
    years: int | None = None,
    config_dir: Path | str | None = None,
    real_data_dir: Path | str | None | object = _USE_ENV,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """One night's new deliveries: one daily contacts file per borough (period = ``day``), drawn from the
    same synthetic population as :func:`generate` with the same arguments. Contact ids are in a day-specific
    range, so they never collide with the bulk files or other days."""
    t0 = time.perf_counter()
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    ctx, chosen, mappings, out_dir, config_dir = _prepare(
        out_dir, scale, seed, boroughs, years, config_dir, real_data_dir
    )
    summary = GenerationSummary(
        out_dir, config_dir, scale, seed, [ay_label(a) for a in ctx.window.academic_years]
    )
    d = day_of(day)
    for b in chosen:
        mapping = mappings[b.slug]
        spec = next((s for s in mapping.files if s.extract == "contacts" and s.period_format == "day"), None)
        if spec is None:
            raise ValueError(f"{mapping.source_file}: no daily contacts spec (period_format: day)")
        model, _ = _model(ctx, b)
        frame, _days = model.contacts(d, d, id_offset=500_000_000 + (d % 100_000) * 10_000)
        out = out_dir / b.slug
        out.mkdir(parents=True, exist_ok=True)
        path = out / file_name_for(mapping, spec, date_of(d).isoformat())
        wrng = np.random.default_rng([seed, _code_number(b.borough_code), 3, d])
        n = write_file(path, spec, frame, {}, wrng, _titles(b, "contacts", day.isoformat()))
        summary.files.append(path)
        summary.rows[b.slug] = {"contacts": n}
        if progress:
            progress(f"{b.slug}: {n} contacts on {day.isoformat()} -> {path.name}")
    summary.seconds = time.perf_counter() - t0
    return summary

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

The modules: ``scales`` (the scales, the summary), ``authorities`` (which authorities a scale generates),
``borough`` (one borough's population and files), ``model`` (the population and its events), ``dialects`` (the
mapping-file templates), ``files`` (writing a file in a dialect).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fhub.landing.mapping import BoroughMapping, load_borough_mapping
from fhub.settings import Paths
from fhub_dev.demo.authorities import authorities
from fhub_dev.demo.borough import (
    GenerationContext,
    borough_model,
    code_number,
    generate_borough,
    synthetic_reference,
    titles,
)
from fhub_dev.demo.boroughs import DemoBorough, london_boroughs, write_mapping_configs
from fhub_dev.demo.files import date_of, day_of, file_name_for, write_file
from fhub_dev.demo.hubs import load_family_hubs
from fhub_dev.demo.model import Window, ay_label
from fhub_dev.demo.realdata import london_lsoas, published_gld_rates
from fhub_dev.demo.scales import LAST_ACADEMIC_YEAR, SCALES, GenerationSummary

__all__ = ["SCALES", "GenerationSummary", "authorities", "generate", "generate_day"]

_USE_ENV = object()


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
) -> tuple[GenerationContext, list[DemoBorough], dict[str, BoroughMapping], Path, Path]:
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
    ctx = GenerationContext(seed, sc, window, london_lsoas(real), hubs, published_gld_rates(real))
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


def _write_national_reference(config_dir: Path, extra: list[DemoBorough], ctx: GenerationContext) -> None:
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
            for h in synthetic_reference(b, ctx.seed)[1]:
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
        generate_borough(ctx, b, mappings[b.slug], out_dir, summary)
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
        model, _ = borough_model(ctx, b)
        frame, _days = model.contacts(d, d, id_offset=500_000_000 + (d % 100_000) * 10_000)
        out = out_dir / b.slug
        out.mkdir(parents=True, exist_ok=True)
        path = out / file_name_for(mapping, spec, date_of(d).isoformat())
        wrng = np.random.default_rng([seed, code_number(b.borough_code), 3, d])
        n = write_file(path, spec, frame, {}, wrng, titles(b, "contacts", day.isoformat()))
        summary.files.append(path)
        summary.rows[b.slug] = {"contacts": n}
        if progress:
            progress(f"{b.slug}: {n} contacts on {day.isoformat()} -> {path.name}")
    summary.seconds = time.perf_counter() - t0
    return summary

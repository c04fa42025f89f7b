"""One borough: its synthetic population (:func:`borough_model`) and its files, written period by period in its
dialect (:func:`generate_borough`), with synthetic LSOAs and hubs for an authority without real reference data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fhub.dq.periods import financial_quarter
from fhub.landing.mapping import BoroughMapping, FileSpec
from fhub_dev.demo.arrivals import Arrivals
from fhub_dev.demo.boroughs import DemoBorough
from fhub_dev.demo.dialects import EXTRA_COLUMNS, RAW_IDENTIFIER_COLUMNS
from fhub_dev.demo.files import Frame, file_name_for, take, write_file
from fhub_dev.demo.hubs import Hub
from fhub_dev.demo.incomplete import INCOMPLETE_EYFSP, leave_out_school
from fhub_dev.demo.model import BoroughModel, BoroughParams, IdFormat, Window, ay_label
from fhub_dev.demo.realdata import gld_target
from fhub_dev.demo.scales import GenerationSummary, Scale

#: EYFSP files arrive in the autumn after the academic year (about 5-8 weeks after it ends)
EYFSP_EXTRA_LAG_DAYS = 30


# --------------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------------
def _period_of_month(m: int, period_format: str) -> str:
    """Canonical period of month index ``m`` (months since 1970-01)."""
    y, mo = 1970 + m // 12, m % 12 + 1
    if period_format == "month":
        return f"{y}-{mo:02d}"
    if period_format == "quarter":
        return financial_quarter(dt.date(y, mo, 1))
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
def code_number(code: str) -> int:
    return int(re.sub(r"\D", "", code) or 0)


def _synthetic_lsoas(code: str, rng: np.random.Generator) -> list[tuple[str, int]]:
    base = 900000 + (code_number(code) % 1000) * 200
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


def synthetic_reference(b: DemoBorough, seed: int) -> tuple[list[tuple[str, int]], list[Hub]]:
    """Synthetic LSOAs (E01 9xxxxx, not real codes) and hubs for an authority without real reference data."""
    rng = np.random.default_rng([seed, code_number(b.borough_code), 4])
    lsoas = _synthetic_lsoas(b.borough_code, rng)
    return lsoas, _synthetic_hubs(b, rng, lsoas)


@dataclass
class GenerationContext:
    seed: int
    scale: Scale
    window: Window
    lsoas: dict[str, list[tuple[str, int]]]
    hubs: dict[str, list[Hub]]
    gld_rates: dict[str, dict[str, float]]


def borough_model(ctx: GenerationContext, b: DemoBorough) -> tuple[BoroughModel, list[Hub]]:
    code_n = code_number(b.borough_code)
    side = np.random.default_rng([ctx.seed, code_n, 1])
    lo, hi = ctx.scale.births
    births = int(side.integers(lo, hi + 1))
    if b.borough_code == "E09000001" and ctx.scale.name in ("london", "national"):
        births = 60  # the City of London has few resident children
    syn_lsoas, syn_hubs = synthetic_reference(b, ctx.seed)
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


def titles(b: DemoBorough, extract: str, period: str) -> list[str]:
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
        n = write_file(path, spec, take(frame, sel), sub_extras, rng, titles(b, spec.extract, period))
        summary.files.append(path)
        summary.periods[path] = period
        summary.rows[b.slug][spec.extract] = summary.rows[b.slug].get(spec.extract, 0) + n


def _bulk_spec(mapping: BoroughMapping, extract: str) -> FileSpec:
    for spec in mapping.files:
        if spec.extract == extract and spec.period_format != "day":
            return spec
    raise ValueError(f"{mapping.source_file}: no non-daily file spec for {extract}")


def generate_borough(
    ctx: GenerationContext, b: DemoBorough, mapping: BoroughMapping, out_dir: Path, summary: GenerationSummary
) -> None:
    code_n = code_number(b.borough_code)
    wrng = np.random.default_rng([ctx.seed, code_n, 2])
    model, _ = borough_model(ctx, b)
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
        rows = write_file(path, spec, frame, extras, wrng, titles(b, "eyfsp", label))
        summary.files.append(path)
        summary.periods[path] = label
        summary.rows[b.slug]["eyfsp"] = summary.rows[b.slug].get("eyfsp", 0) + rows
        summary.gld[b.slug][label] = (rate, model.params.gld_targets[ay])
    arrivals = Arrivals(
        ctx.seed, code_n
    )  # files arrive over the years, not all tonight (fhub/demo/arrivals.py)
    for path in [p for p in summary.files if p.parent == out]:
        arrivals.date(
            path, summary.periods[path], extra_days=EYFSP_EXTRA_LAG_DAYS if path.name in eyfsp_files else 0
        )

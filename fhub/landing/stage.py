"""Per file, before the group pass: skip what was received before, archive, match the borough mapping
(:func:`stage`), then read the file (:func:`prepare_items`: find the heading, transcode, XLSX to CSV) and
plan its columns. A file that fails here is quarantined on its own."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from pathlib import Path
from typing import Any

import duckdb

from fhub.landing.archive import archive_file, sha256_file
from fhub.landing.columns import plan_columns
from fhub.landing.commit import quarantine
from fhub.landing.items import Item, Prior, RunContext
from fhub.landing.quarantine import Unlandable
from fhub.landing.read import prepare_csv
from fhub.landing.result import DeliveryOutcome
from fhub.landing.sheets import prepare_xlsx
from fhub.landing.sqlkit import lit
from fhub.privacy import duckdb_functions
from fhub.privacy.identifiers import scrub
from fhub.privacy.messages import masked_file_name

_LOG = logging.getLogger(__name__)


def load_hubs(con: duckdb.DuckDBPyConnection, hubs_csv: Path | None) -> bool:
    """The known family hubs: the London seed plus ``landing.extra_family_hubs`` (authorities that joined by
    configuration, :mod:`fhub.landing.participants`)."""
    from fhub.landing.participants import ensure_participant_tables

    if hubs_csv is None or not Path(hubs_csv).exists():
        return False
    ensure_participant_tables(con)
    con.execute(f"create or replace temp table _hubs as select distinct hub_id, borough_code from ("
                f"select hub_id, borough_code from read_csv({lit(str(hubs_csv))}, header = true, all_varchar = true)"
                " union all select hub_id, borough_code from landing.extra_family_hubs)")
    return True


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The identifier rules as DuckDB functions (``fhub_scrub``, ``fhub_identifier_kinds``, ``fhub_shape``) and
    the connection's key cache."""
    duckdb_functions.register(con)
    con.execute("create temp table if not exists _keycache (v varchar, k varchar)")


# ---------------------------------------------------------------------------------------------------
# per file: stage
# ---------------------------------------------------------------------------------------------------
def _match(rc: RunContext, slug: str, name: str) -> tuple[Any, Any, int, str]:
    from fhub.landing.mapping import PeriodError

    mapping = rc.mappings.get(slug)
    if mapping is None:
        raise LookupError(rc.mapping_errors.get(slug) or f"No borough mapping file config/boroughs/{slug}.yml "
                          f"for the folder incoming/{slug}/.")
    try:
        hit = mapping.match(name)
    except PeriodError as exc:
        spec = next((s for s in mapping.files if s.regex.fullmatch(name)), None)
        what = f"{spec.extract} file" if spec else "file"
        raise Unlandable(f"The {what}'s name follows the agreed pattern, but the reporting period in it is not a "
                         f"real {spec.period_format if spec else 'period'}.",
                         "Rename the file with the correct period and send it again.") from exc
    if hit is None:  # the name is not shown (it may hold a name or an NHS number): its shape is
        patterns = "; ".join(f"{s.extract}: {s.pattern}" for s in mapping.files)
        raise Unlandable(
            f"The file name ({masked_file_name(name)}) does not match any agreed file name for "
            f"{mapping.borough_name}, so its extract type and period are unknown. It was set aside under its "
            "delivery id.",
            f"Name the file as agreed (patterns: {patterns}). Files for another borough belong in that "
            "borough's folder.",
        )
    spec, period = hit
    index = next(i for i, s in enumerate(mapping.files) if s is spec)
    return mapping, spec, index, period


def _prepare(item: Item, xlsx_fast_max_bytes: int | None = None) -> None:
    spec, path = item.spec, item.path
    item.tmp.mkdir(parents=True, exist_ok=True)
    if str(spec.format).lower() == "xlsx":
        item.prep = prepare_xlsx(path, spec, item.tmp, fast_max_bytes=xlsx_fast_max_bytes)
    else:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if magic == b"PK\x03\x04":
            raise Unlandable("The file is an Excel workbook (or other zip file), but a CSV file was agreed.",
                             "Save the sheet as 'CSV UTF-8 (Comma delimited)' and send that instead.")
        item.prep = prepare_csv(path, spec, item.tmp, force_encoding="cp1252" if item.encoding_retry else None)
        if item.encoding_retry:
            item.prep.warnings.append((
                "The file is not UTF-8 text; it was read as Windows-1252 (Excel's 'CSV').",
                "No action needed, but exporting as 'CSV UTF-8' avoids wrong characters."))
    item.plan = plan_columns(item.prep.headers, spec)



def seen_deliveries(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Prior]:
    """delivery id → :class:`Prior` for ids already in ``landing.deliveries`` (one query)."""
    if not ids:
        return {}
    con.execute("create or replace temp table _shas as select unnest(?) as sha", [ids])
    rows = con.execute("select delivery_id, status, source_file, run_id, rows_delivered, borough_code, "
                       "extract_type, period, delivery_label from landing.deliveries join _shas on sha = delivery_id"
                       ).fetchall()
    con.execute("drop table _shas")
    return {r[0]: Prior(*r[1:]) for r in rows}


def nil_return_id(sha: str, borough_code: str, extract: str, period: str) -> str:
    """Delivery id of a nil return whose bytes equal an earlier nil return for another period (a borough's
    header-only files are byte-identical every month, but each month's nil return must be recorded)."""
    return hashlib.sha256(f"{sha}|{borough_code}|{extract}|{period}".encode()).hexdigest()


def _nil_return_again(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, name: str, sha: str,
                      prior: Prior) -> str | None:
    """If these bytes were a nil return (no data rows) and this file is for another period, the delivery id
    to record it under (None: it is a plain repeat, skip it)."""
    if prior.status not in ("landed", "superseded") or prior.rows_delivered:
        return None
    try:
        mapping, spec, _, period = _match(rc, slug, name)
    except (LookupError, Unlandable):
        return None
    if (mapping.borough_code, spec.extract, period) == (prior.borough_code, prior.extract_type, prior.period):
        return None
    did = nil_return_id(sha, mapping.borough_code, spec.extract, period)
    return None if seen_deliveries(con, [did]) else did


def _duplicate_elsewhere(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, name: str, sha: str,
                         prior: Prior, out: DeliveryOutcome) -> bool:
    """These bytes were received before for another borough × extract × period than this file's name
    declares (e.g. May's file copied under June's name): a ``duplicate`` with a receipt line saying the named
    period is still missing — the first time it is seen (``landing.file_events``); later nights skip it."""
    if prior.status in ("landed", "superseded") and not prior.rows_delivered:
        return False  # a nil return's bytes: each period's is recorded on its own (_nil_return_again)
    try:
        mapping, spec, _, period = _match(rc, slug, name)
    except (LookupError, Unlandable):
        return False
    scope = (mapping.borough_code, spec.extract, period)
    if scope == (prior.borough_code, prior.extract_type, prior.period):
        return False
    if con.execute("select count(*) from landing.file_events where event = 'duplicate' and file_key = ?",
                   [duplicate_key(sha, *scope)]).fetchone()[0]:
        return False
    out.status, out.duplicate_of = "duplicate", sha
    out.borough_code, out.extract_type, out.period = scope
    out.reason = (f"These exact bytes were already received as {prior.label or 'an earlier delivery'} (status "
                  f"{prior.status}). They were not landed again, so {spec.extract} for {period} is still missing.")
    out.fix = (f"Send the {period} file itself: check it was exported for {period}, not copied from another "
               "period's file.")
    return True


def duplicate_key(sha: str, borough_code: str, extract: str, period: str) -> str:
    """``landing.file_events.file_key`` of a duplicate: the bytes and the scope its name declares."""
    return hashlib.sha256(f"duplicate|{sha}|{borough_code}|{extract}|{period}".encode()).hexdigest()


def stage(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, path: Path, sha: str, size: int,
          received_at: dt.datetime, seen: Prior | None) -> Item | DeliveryOutcome:
    """Everything per file before reading it: skip, archive, match the mapping. Returns a finished outcome
    (skipped / waiting / quarantined) or an :class:`Item` to read with :func:`prepare_items` (many at once).
    Never raises for bad input."""
    name = path.name
    out = DeliveryOutcome(source_file=name, borough_slug=slug, sha256=sha, status="landed")
    if seen and not (seen.status == "quarantined" and rc.retry_quarantined):
        again = _nil_return_again(con, rc, slug, name, sha, seen)
        if again is None:
            if _duplicate_elsewhere(con, rc, slug, name, sha, seen, out):
                return out
            out.status = "skipped"
            out.reason = (f"These exact bytes were already received as {seen.label or 'an earlier delivery'} (run "
                          f"{seen.run_id}, status {seen.status}); nothing was changed.")
            return out
        out.delivery_id, seen = again, None
    archive_file(path, rc.paths.archive, sha, rc.originals_key, fsync=False)
    item = Item(slug=slug, path=path, size=size, received_at=received_at, out=out,
                retry_quarantined=seen is not None, tmp=rc.paths.work_dir / "landing-tmp" / sha[:16])
    try:
        item.mapping, item.spec, item.spec_index, period = _match(rc, slug, name)
    except LookupError as exc:
        out.status = "waiting"
        out.reason = str(exc)
        out.fix = "Ask the hub data team to add or fix the borough mapping; the file stays in incoming/."
        return out
    except Unlandable as exc:
        return quarantine(con, rc, item, exc.reason, exc.fix)
    out.borough_code, out.extract_type, out.period = item.mapping.borough_code, item.spec.extract, period
    return item


def prepare_items(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item]) -> list[Item | DeliveryOutcome]:
    """Read each staged file (find the heading, transcode, XLSX → CSV), in a small thread pool: the work is
    per file and touches no connection. A file that cannot be read is quarantined here (in the calling
    thread, which owns ``con``); the result keeps the order of ``items``. Files prepared at once:
    ``rc.tuning.prepare_threads`` (reading an XLSX sheet and writing it as CSV; python-calamine parses without the
    GIL for much of the work, so two threads prepare a London night's 1,850 workbooks ~1.6× faster)."""
    threads = rc.tuning.prepare_threads

    def attempt(item: Item) -> BaseException | None:
        try:
            _prepare(item, rc.tuning.xlsx_fast_max_bytes)
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
            return exc
        return None

    if len(items) > 1 and threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads, thread_name_prefix="fhub-prepare") as pool:
            errors = list(pool.map(attempt, items))
    else:
        errors = [attempt(it) for it in items]
    done: list[Item | DeliveryOutcome] = []
    for item, exc in zip(items, errors, strict=True):
        if exc is None:
            done.append(item)
        elif isinstance(exc, Unlandable):
            done.append(quarantine(con, rc, item, exc.reason, exc.fix))
        else:
            done.append(quarantine(con, rc, item, *internal_failure(exc, item)))
    return done


def group_key(item: Item) -> tuple:
    """Files that can share one pass: the same mapping content (boroughs on the same case-management system
    share it, whatever their borough), the same way of reading and the same column layout. Everything that
    differs per file or borough (period, borough code, sha) is data in ``_files``, not SQL text."""
    p, plan, spec = item.prep, item.plan, item.spec
    mapping_content = repr((spec.extract, spec.format, spec.columns, spec.values, spec.constants, spec.date_format,
                            tuple(spec.ignore_columns or ()), sorted((getattr(spec, "free_text", None) or {}).items())))
    return (mapping_content, p.delimiter, len(p.headers), p.skip_lines, p.has_line_column,
            p.ledger.has_control_chars, tuple(sorted(plan.source_index.items())),
            tuple(sorted(plan.heading.items())))


def internal_failure(exc: BaseException, item: Item | None = None) -> tuple[str, str]:
    """Reason and fix when landing itself failed on a file. The borough reads a plain message: never the
    error text (it can hold SQL, a path or a value from the file). The details go to the pipeline's stderr for
    the central team, with identifier-like text scrubbed."""
    detail = scrub("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))[0]
    _LOG.error("landing failed on %s:\n%s", item.out.label if item else "a delivery", detail[-4000:])
    return ("The file could not be processed because of a fault on the hub data team's side, not in the "
            "file as far as we can tell. It is kept and will be landed once the fault is fixed.",
            "Nothing to fix on your side: the hub data team has been told. Send the file again only if they ask.")


def sha_and_size(path: Path) -> tuple[str, int]:
    return sha256_file(path)

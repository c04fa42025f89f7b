"""Erasure (UK GDPR article 17) for one person of one borough: ``fhub forget --borough <slug> --person-id <id>``.

1. The id becomes its keyed hash, as at landing (:func:`fhub.pseudonymise.keyed_hash`; the raw id is used for
   nothing else and stored nowhere).
2. Work file, one transaction: every row of that borough whose ``person_key``, ``pupil_key`` or ``family_key``
   is that hash is deleted from the raw tables and from every table dbt built (the incremental facts keep rows
   between nights, so they are cleaned here; everything else is rebuilt from raw by the next build); the
   pseudonymised failing-row samples of the data-quality history lose the key; ``landing.erasures`` records
   the request (borough, counts, the requester's reference) - never the id or the key.
3. Every incremental model that held rows is rebuilt from scratch by the next build (its recorded definition
   is forgotten, :mod:`fhub.dbt.rebuild`), so the facts end exactly as a full rebuild would leave them.
4. The stored originals of the borough (archive and quarantine) are decrypted as a stream, every record
   holding the id in a cell is dropped, and they are encrypted again (:mod:`fhub.privacy.rewrite`); each change
   is a row of ``landing.original_changes`` (checksums before and after, rows removed).
5. ``work/gx_inputs.duckdb`` (the last validation's snapshot) loses the key's rows too.

Then the nightly build (``fhub forget`` runs it unless ``--no-rebuild``) rebuilds the marts and republishes.
What erasure cannot reach is listed in docs/privacy.md (files still waiting in incoming/, freed pages of the
DuckDB file until it is rewritten, copies outside the pipeline).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.landing.archive import archive_path
from fhub.landing.quarantine import ORIGINAL_NAME, quarantine_folder
from fhub.privacy.rewrite import remove_rows
from fhub.privacy.vault import OriginalsKey
from fhub.pseudonymise import keyed_hash
from fhub.settings import Paths

KEY_COLUMNS = ("person_key", "pupil_key", "family_key")
_BOROUGH_COLUMNS = ("_borough_code", "borough_code")
#: Schemas whose tables are not built from raw rows (bookkeeping, published statistics, DQ history).
_NOT_MODELS = ("raw", "landing", "ref", "dq", "information_schema", "pg_catalog")


@dataclass
class ErasureResult:
    erasure_id: str
    borough_code: str
    raw_rows: dict[str, int] = field(default_factory=dict)  # raw table -> rows removed
    model_rows: dict[str, int] = field(default_factory=dict)  # schema.table -> rows removed
    originals: list[tuple[str, int]] = field(default_factory=list)  # (location, rows removed) per original
    models_to_rebuild: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(sum(self.raw_rows.values()) or sum(self.model_rows.values()) or self.originals)

    def summary(self) -> str:
        raw = sum(self.raw_rows.values())
        return (f"erasure {self.erasure_id} for {self.borough_code}: {raw} raw row(s) removed "
                f"({', '.join(f'{t} {n}' for t, n in sorted(self.raw_rows.items()) if n) or 'none'}), "
                f"{sum(self.model_rows.values())} row(s) from built tables, "
                f"{sum(n for _, n in self.originals)} row(s) from {len(self.originals)} stored original(s); "
                f"{len(self.models_to_rebuild)} incremental model(s) will be rebuilt from scratch")


def _tables_with_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[str], str]]:
    """(schema, table, key columns, borough column) of every base table with a person/pupil/family key."""
    rows = con.execute(
        "select c.table_schema, c.table_name, list(c.column_name) from information_schema.columns c "
        "join information_schema.tables t using (table_catalog, table_schema, table_name) "
        "where t.table_type = 'BASE TABLE' and c.table_catalog = current_database() group by all order by all"
    ).fetchall()
    out = []
    for schema, table, columns in rows:
        keys = [k for k in KEY_COLUMNS if k in columns]
        borough = next((b for b in _BOROUGH_COLUMNS if b in columns), None)
        # the same id in two boroughs gives the same key: a table that cannot say whose row it is waits for
        # its rebuild from raw instead
        if keys and borough:
            out.append((schema, table, keys, borough))
    return out


def _delete(con: duckdb.DuckDBPyConnection, schema: str, table: str, keys: list[str], borough_col: str,
            key: str, borough_code: str) -> int:
    match = " or ".join(f'"{k}" = $key' for k in keys)
    res = con.execute(f'delete from "{schema}"."{table}" where ({match}) and "{borough_col}" = $borough',
                      {"key": key, "borough": borough_code}).fetchone()
    return int(res[0]) if res else 0


def erase_from_work_file(con: duckdb.DuckDBPyConnection, borough_code: str, key: str, result: ErasureResult,
                         reference: str | None, requested_by: str | None) -> None:
    """Step 2 of the module doc, in one transaction."""
    con.execute("begin transaction")
    try:
        for schema, table, keys, borough_col in _tables_with_keys(con):
            if schema in _NOT_MODELS and schema != "raw":
                continue
            n = _delete(con, schema, table, keys, borough_col, key, borough_code)
            if schema == "raw":
                result.raw_rows[table] = n
            elif n:
                result.model_rows[f"{schema}.{table}"] = n
        if con.execute("select count(*) from information_schema.tables where table_schema = 'dq' "
                       "and table_name = 'check_results'").fetchone()[0]:
            con.execute("update dq.check_results set failing_sample = replace(failing_sample, $k, '\"(erased)\"') "
                        "where contains(failing_sample, $k)", {"k": json.dumps(key[:16])})
        con.execute("insert into landing.erasures values (?, ?, ?, ?, ?, ?, 0, 0, ?)",
                    [result.erasure_id, dt.datetime.now(), borough_code, reference,
                     sum(result.raw_rows.values()), sum(result.model_rows.values()), requested_by])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def erase_from_originals(con: duckdb.DuckDBPyConnection, paths: Paths, borough_code: str, slug: str,
                         person_id: str, originals_key: OriginalsKey, result: ErasureResult,
                         mappings: dict | None = None) -> None:
    """Step 4 of the module doc: every stored original of the borough (by its deliveries)."""
    mapping = (mappings or {}).get(slug)
    deliveries = con.execute(
        "select delivery_id, any_value(sha256), any_value(source_file) from landing.deliveries "
        "where borough_code = ? or borough_slug = ? group by delivery_id order by delivery_id",
        [borough_code, slug]).fetchall()
    done: set[Path] = set()
    for delivery_id, sha, source_file in deliveries:
        spec = None
        if mapping is not None:
            try:
                hit = mapping.match(source_file)
            except Exception:  # noqa: BLE001 - an impossible period: read it by its bytes
                hit = None
            spec = hit[0] if hit else None
        candidates = [("archive", archive_path(paths.archive, sha)),
                      ("quarantine", quarantine_folder(paths.quarantine, delivery_id) / ORIGINAL_NAME)]
        for location, path in candidates:
            if path in done or not path.exists():
                continue
            done.add(path)
            changed = remove_rows(path, person_id, originals_key, fmt=getattr(spec, "format", None),
                                  encoding=getattr(spec, "encoding", None), delimiter=getattr(spec, "delimiter", None))
            if changed is None:
                continue
            result.originals.append((location, changed.rows_removed))
            con.execute("insert into landing.original_changes values (?, ?, ?, ?, ?, ?, ?)",
                        [result.erasure_id, delivery_id, location, changed.sha256_before, changed.sha256_after,
                         changed.rows_removed, dt.datetime.now()])
    con.execute("update landing.erasures set originals_rewritten = ?, original_rows_removed = ? "
                "where erasure_id = ?", [len(result.originals), sum(n for _, n in result.originals),
                                         result.erasure_id])


def erase_from_gx_inputs(path: Path, borough_code: str, key: str) -> int:
    if not path.exists():
        return 0
    con = duckdb.connect(str(path))
    try:
        return sum(_delete(con, s, t, keys, b, key, borough_code) for s, t, keys, b in _tables_with_keys(con))
    finally:
        con.close()


def forget(paths: Paths, con: duckdb.DuckDBPyConnection, *, borough_code: str, slug: str, person_id: str,
           hmac_key: bytes, originals_key: OriginalsKey, mappings: dict | None = None,
           reference: str | None = None, requested_by: str | None = None) -> ErasureResult:
    """Erase one person of one borough (module doc, steps 1-5) on the open work file ``con``."""
    from fhub.dbt.rebuild import forget_built, incremental_models

    key = keyed_hash(hmac_key, person_id)
    if not key:
        raise ValueError("The person id is empty.")
    result = ErasureResult(erasure_id=uuid.uuid4().hex, borough_code=borough_code)
    erase_from_work_file(con, borough_code, key, result, reference, requested_by)
    incremental = set(incremental_models(paths.project))
    result.models_to_rebuild = sorted(name for name in (t.split(".", 1)[1] for t in result.model_rows)
                                      if name in incremental)
    forget_built(paths, result.models_to_rebuild)
    erase_from_originals(con, paths, borough_code, slug, person_id, originals_key, result, mappings)
    con.execute("checkpoint")
    erase_from_gx_inputs(paths.work_dir / "gx_inputs.duckdb", borough_code, key)
    return result

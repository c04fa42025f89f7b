"""Messages are templates (issue 13): the code that builds reasons, warnings, fixes, data-quality messages,
receipts, progress lines and the run summary interpolates only values of allowed kinds.

A static check over the message-building modules: every f-string placeholder that ends up in human text - a
Python message, or a quoted literal inside generated SQL - must be one of :data:`ALLOWED` (each entry says
which allowed kind it is: an agreed column name, a count or row number, a period or label, a code, a shape,
configuration). A placeholder in SQL *structure* (outside quotes) is SQL, not text; values reach SQL messages
only by ``||`` concatenation, and :func:`test_sql_messages_concatenate_only_allowed_values` checks those
operands. ``tests/badinput`` checks the same promise dynamically: no planted text leaks from any hostile file.

Adding a placeholder to a message means adding it here, with its kind: if it is not one of the allowed kinds
(a raw cell, a heading as delivered, a sheet name, a file name, an exception's text), the message is wrong.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fhub.landing.labels import delivery_label, receipt_file_name
from fhub.privacy.messages import describe_headings, error_kind, masked_file_name, safe_dbt_message

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "fhub/landing/read.py", "fhub/landing/columns.py", "fhub/landing/engine.py", "fhub/landing/land.py",
    "fhub/landing/receipts.py", "fhub/landing/scan.py", "fhub/landing/validate.py", "fhub/landing/labels.py",
    "fhub/landing/result.py", "fhub/landing/stage.py", "fhub/landing/commit.py", "fhub/landing/status.py",
    "fhub/landing/rowchecks.py", "fhub/landing/workbook.py", "fhub/landing/sheets.py", "fhub/landing/ledger.py",
    "fhub/landing/explain.py", "fhub/landing/periods.py", "fhub/landing/guard.py", "fhub/landing/cohort.py",
    "fhub/landing/events.py", "fhub/landing/confirm.py", "fhub/dq/landing_ledger.py", "fhub/dq/landing_results.py", "fhub/dq/dbt_results.py", "fhub/dq/gx_results.py",
    "fhub/dq/decision.py", "fhub/dq/history.py", "fhub/dq/reconciliation.py", "fhub/summary.py", "fhub/privacy/messages.py",
    "flows/land.py", "flows/nightly.py", "fhub/privacy/gate.py", "fhub/dq/privacy_results.py",
    "fhub/privacy/findings.py", "fhub/privacy/originals.py", "fhub/privacy/erasure.py",
    "fhub/serving/serve.py", "fhub/serving/load.py",
    "fhub/serving/swap.py", "fhub/serving/restricted.py", "fhub/serving/roles.py",
    "fhub/landing/receipt_view.py", "fhub/report/problems.py", "fhub/report/changes.py",
    # the nightly's steps moved out of the flows (issue 15), failing samples and revisions (issue 16), the
    # pre-send check's verdict and page
    "fhub/landing/night.py", "fhub/dq/gate.py", "fhub/dq/samples.py", "fhub/release/revisions.py",
    "fhub/release/inputs.py", "fhub/check/run.py", "fhub/check/verdict.py", "fhub/check/render.py",
]

#: Placeholder expressions allowed in human text, by kind.
ALLOWED: dict[str, str] = {
    # agreed column names: the mapping's source column names and the landing contract's column names
    **dict.fromkeys(["heading", "key_heading", "src", "col.name", "what"],
                    "agreed column name / contract name"),
    # counts, row and line numbers, positions, sizes
    **dict.fromkeys(["n_rows", "n:,", "n_rows:,", "len(headers)", "len(names)", "blanks", "more",                      "i + 1", "rec_no", "header_row", "rownum_h", "overflow", "width", "limit",
                     "rejected", "delivered", "warned", "share:.1%", "failures", "unexpected", "len(clean)",
                     "len(skipped):,", "self.done", "self.total", "done", "total", "exact[h] + 1", "idx + 1",
                     "names.index(sheet_name) + 1", "exc.start", "ratio:.0f", "total / 1e9:.1f",
                     "MAX_XLSX_UNCOMPRESSED / 1e9:.1f", "info.file_size / 1e6:.0f", "keep['rows']:,",
                     "o.rows_landed:,", "o.rows_rejected:,", "o.rows_delivered:,", "o.rows_warned:,",
                     "sum(o.rows_landed for o in clean):,", "self.rows_landed", "self.rows_rejected",
                     "self.rows_delivered", "len(self.landed)", "len(self.quarantined)", "len(self.skipped)",
                     "len(self.by_status('waiting'))", "self.rows_landed:,", "self.rows_rejected:,",
                     "self.rows_delivered:,", "unknown[scope]", "len(self.withheld_scopes)", "self.warnings",
                     "col.min_value:g", "col.max_value:g", "DUE_MONTH_HORIZON_DAYS // 30", "MD_DETAIL_ROWS",
                     "min(len(detail), MD_DETAIL_ROWS)", "ln if ln is not None else ''", "n:,"],
                    "count / row, line or column number / size"),
    # periods and labels built from the agreed file-name pattern; delivery ids; run ids
    **dict.fromkeys(["out.period", "o.period", "o.label", "self.label", "keep['source']",
                     "seen.label or 'an earlier delivery'", "o.extract_type",
                     "spec.extract", "periods[0]", "periods[-1]", "extracts", "run_id", "seen.run_id",
                     "seen.status", "o.status", "scope_text", "sheet", "o.sha256", "delivery_id",
                     "item.out.label if item else 'a delivery'", "o.borough_slug",
                     "f'{spec.extract} file' if spec else 'file'", "_STATUS_TEXT.get(o.status, o.status)",
                     "borough or 'a borough'", "extract or 'file'", "period or ''",                      "unknown_period", "csv_name", "key_label", "f' ({code})' if code else ''"],
                    "period / delivery label / id / status"),
    # codes: agreed code lists, borough names and codes from configuration, date formats, delimiters, kinds
    **dict.fromkeys(["human", "fmt", "lo", "hi", "yes_no", "allowed_txt", "src_codes", "other", "mine",
                     "mapping.borough_name", "patterns", "_dlm_name(delimiter)", "_dlm_name(other)",
                     "encoding", "declared", "wanted_sheet", "kind or 'an error'", "check_name",
                     "etype", "spec.period_format if spec else 'period'", "_personal_kind(h)", "m.group(0)",
                     "w['borough_code']", "w.get('extract_type') or 'all extracts'", "w.get('period') or 'all periods'",
                     "s.borough_code", "s.extract_type or 'all extracts'", "s.period or 'all periods'", "verb",
                     "subject", "column_text", "etype.replace('_', ' ')", "dimension",
                     "f['node']", "MIGRATION_ID", "_REPLACED", "shown_ext",                      "summary['run_id']", "paths.data"],
                    "code / agreed list / configuration"),
    # masked shapes and descriptions built only from the kinds above
    **dict.fromkeys(["shape(h)", "shape(close[0])", "shape(stem)", "shape(value)", "describe_headings(headers, agreed)",
                     "masked_file_name(name)", "safe_dbt_message(f.get('message'))",
                     "safe_dbt_message(res.get('message'))", "reason.rstrip('.')",
                     "'; '.join(notes)", "parts"],
                    "masked shape / description built from allowed parts"),
}

#: An f-string is SQL when its text has SQL syntax or it interpolates SQL-building helpers.
_SQL = re.compile(r"\|\||::|\b(select|case|when|join|insert into|create|update|delete from|drop table|cast|"
                  r"try_cast|coalesce|regexp_\w+|string_agg|date_trunc|describe|attach|union|pragma|set \w+ =|read_csv|"
                  r"is not null|count\(\*\))\b", re.I)
_SQL_CALLS = re.compile(r"^(ident|lit|date_lit|trimmed|_value_map|_source_expr|[a-z_]*_sql)\(")


def _unwrap(expr: str) -> str:
    """``_md_cell(x)`` (Markdown escaping) shows ``x``."""
    m = re.fullmatch(r"_md_cell\((.*)\)", expr)
    return _unwrap(m.group(1)) if m else expr


def _placeholders(path: Path) -> list[tuple[int, str, bool]]:
    """(line, placeholder expression, in human text) for every f-string placeholder of a module. In SQL, only
    placeholders inside a quoted literal are text."""
    out: list[tuple[int, str, bool]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
              for v in ast.walk(node) if isinstance(v, ast.JoinedStr) and v is not node}
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr) or id(node) in nested:
            continue
        consts = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
        exprs = [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
        is_sql = bool(_SQL.search(consts)) or any(_SQL_CALLS.match(e) for e in exprs)
        quotes = 0
        for v in node.values:
            if isinstance(v, ast.Constant):
                quotes += str(v.value).count("'")
            elif isinstance(v, ast.FormattedValue):
                expr = ast.unparse(v.value)
                if v.format_spec is not None:
                    expr += ":" + "".join(str(c.value) for c in v.format_spec.values if isinstance(c, ast.Constant))
                in_text = (quotes % 2 == 1) if is_sql else True
                out.append((node.lineno, _unwrap(expr), in_text))
    return out


#: Placeholders allowed at one place only, with the reason.
ALLOWED_HERE: dict[tuple[str, str], str] = {
    ("fhub/check/render.py", "min(int(token.tag[1]) + 2, 6)"):
        "HTML of the pre-send check page: heading level and a MIME type (markup, no data)",
    ("fhub/check/render.py", "media_type"):
        "HTML of the pre-send check page: heading level and a MIME type (markup, no data)",
    ("fhub/check/run.py", "borough_slug"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "known"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "i"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "len(files)"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "self.position"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "'s' if n != 1 else ''"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "n"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "self.borough_code"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "self.borough_name"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "self.exit_code"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "self.headline.upper()"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "f.label"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/run.py", "f.verdict"):
        "pre-send check summary: configured borough slug/name/code, counts, exit code, headline, the file's place in the list, its verdict template (never the file name)",
    ("fhub/check/verdict.py", "outcome.rows_delivered:,"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "outcome.rows_landed:,"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "_plural(len(outcome.supersedes), 'earlier delivery', 'earlier deliveries')"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "', '.join(problems)"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "landed"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "replaces"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/check/verdict.py", "status"):
        "verdict templates: counts, landing status codes, pluralised nouns",
    ("fhub/dq/samples.py", "delivery_id[:8]"):
        "failing_sample: row numbers, the delivery id's hex prefix; a landing table name (code)",
    ("fhub/dq/samples.py", "int(number)"):
        "failing_sample: row numbers, the delivery id's hex prefix; a landing table name (code)",
    ("fhub/dq/samples.py", "prefix"):
        "failing_sample: row numbers, the delivery id's hex prefix; a landing table name (code)",
    ("fhub/dq/samples.py", "table"):
        "failing_sample: row numbers, the delivery id's hex prefix; a landing table name (code)",
    ("fhub/landing/night.py", "INCOMING_ENV_VAR"):
        "the nightly's landing lines: counts and the incoming policy (configuration)",
    ("fhub/landing/night.py", "incoming_after"):
        "the nightly's landing lines: counts and the incoming policy (configuration)",
    ("fhub/landing/night.py", "len(result.removed_from_incoming):,"):
        "the nightly's landing lines: counts and the incoming policy (configuration)",
    ("fhub/landing/night.py", "encrypted"):
        "the nightly's landing lines: counts and the incoming policy (configuration)",
    ("fhub/release/inputs.py", "table"):
        "the manifest's reference table names (code)",
    ("fhub/release/revisions.py", "snapped"):
        "counts in progress lines; SQL text (work file path, relation names, dbt descriptions from the project)",
    ("fhub/release/revisions.py", "history"):
        "counts in progress lines; SQL text (work file path, relation names, dbt descriptions from the project)",
    ("fhub/release/revisions.py", "work_db"):
        "counts in progress lines; SQL text (work file path, relation names, dbt descriptions from the project)",
    ("fhub/release/revisions.py", "rel.description.replace(chr(39), '')"):
        "counts in progress lines; SQL text (work file path, relation names, dbt descriptions from the project)",
    ("fhub/release/revisions.py", "rel.name"):
        "counts in progress lines; SQL text (work file path, relation names, dbt descriptions from the project)",
    ("fhub/landing/land.py", "path.name"): "the borough mapping's YAML file name (configuration)",
    ("fhub/landing/land.py", "exc"): "a MappingError: names the mapping file's key and fix (configuration)",
    ("fhub/landing/engine.py", "sha"): "nil_return_id: the text hashed into a delivery id, never shown",
    ("fhub/landing/engine.py", "borough_code"): "nil_return_id: the text hashed into a delivery id",
    ("fhub/landing/receipts.py", "neut.format(c=c)"): "SQL select list of the receipt CSV",
    ("fhub/landing/receipts.py", "c"): "SQL select list of the receipt CSV (column names)",
    ("fhub/landing/columns.py", "name"): "the agreed heading a delivered heading normalises to (agreed_name)",
    ("fhub/privacy/messages.py", "name"): "the agreed heading a delivered heading normalises to (agreed_name)",
    ("fhub/dq/landing_results.py", "name"): "SQL: a landing.deliveries column name",
    ("fhub/dq/dbt_results.py", "name"): "a dbt model's name (code)",
    ("fhub/summary.py", "name"): "a quarantined delivery's label (flows/land.py)",
    ("fhub/summary.py", "serving['line']"): "ServingOutcome.line (fhub/serving/serve.py, linted there)",
    ("fhub/landing/engine.py", "alias"): "SQL: a quoted key-cache alias",
    ("fhub/landing/engine.py", "landed"): "an accounting AssertionError: row counts",
    ("fhub/landing/engine.py", "expected"): "an accounting AssertionError: row counts",
    ("fhub/landing/engine.py", "o.delivery_id[:8]"): "the neutral name a quarantined file is stored under",
    ("fhub/landing/engine.py", "s.extract"): "the agreed file-name patterns (configuration)",
    ("fhub/landing/engine.py", "s.pattern"): "the agreed file-name patterns (configuration)",
    ("fhub/landing/validate.py", "k"): "SQL: 'v_<key> is not null' over quoted identifiers",
    ("fhub/landing/validate.py", "plan.source_index[col.name]"): "SQL: a source column's number",
    ("fhub/landing/land.py", "duckdb_memory_limit()"): "a DuckDB setting (configuration)",
    ("fhub/landing/land.py", "DUCKDB_DISABLED_COMPRESSION"): "a DuckDB setting (configuration)",
    ("fhub/landing/land.py", "row and row[1]"): "withdraw_delivery: a delivery status code",
    ("fhub/dq/landing_results.py", "default"): "SQL: a default for a missing column",
    ("fhub/dq/dbt_results.py", "run_results_path"): "a developer error: dbt's target folder",
    ("fhub/dq/gx_results.py", "type(results).__name__"): "a developer error: a Python type name",
    ("fhub/dq/gx_results.py", "_short(row.get('observed_value'), 60)"):
        "GX's observed value over gx_inputs (counts and keys per delivery, no identifiers)",
    ("fhub/dq/decision.py", "relation"): "a work-file relation name (code)",
    ("fhub/dq/decision.py", "missing"): "missing key column names (code)",
    ("fhub/dq/decision.py", "dupes"): "a count",
    ("fhub/dq/decision.py", "', '.join(key)"): "key column names (code)",
    ("fhub/dq/decision.py", "scopes"): "borough codes, extracts and periods",
    ("fhub/summary.py", "boroughs['removed_from_incoming']:,"): "a count of files",
    ("fhub/summary.py", "originals.get('purged', 0)"): "a count of stored originals",
    ("fhub/summary.py", "originals.get('retention_days')"): "the retention period in days (configuration)",
    ("fhub/summary.py", "originals['encrypted_plaintext']"): "a count of stored originals",
    ("fhub/summary.py", "len(privacy.get('scopes_withheld', []))"): "a count of scopes",
    ("fhub/summary.py", "privacy.get('cells_redacted', 0)"): "a count of cells",
    ("flows/land.py", "len(result.removed_from_incoming):,"): "a count of files",
    ("flows/land.py", "ENV_VAR"): "a setting's name (configuration)",
    ("flows/land.py", "after"): "the setting's value: remove or keep (configuration)",
    ("flows/land.py", "encrypted"): "a count of stored originals",
    ('fhub/privacy/erasure.py', 'schema'): 'SQL: a work-file schema name (catalog)',
    ('fhub/privacy/erasure.py', 'table'): 'SQL: a work-file table name (catalog)',
    ('fhub/privacy/erasure.py', 'k'): 'SQL: a key column name (person_key / pupil_key / family_key)',
    ('fhub/privacy/erasure.py', "', '.join((f'{t} {n}' for t, n in sorted(self.raw_rows.items()) if n)) or 'none'"): 'raw table names (code) and counts',
    ('fhub/privacy/erasure.py', 'len(self.models_to_rebuild)'): 'a count',
    ('fhub/privacy/erasure.py', 'len(self.originals)'): 'a count',
    ('fhub/privacy/erasure.py', 'raw'): 'a count',
    ('fhub/privacy/erasure.py', 'self.borough_code'): 'a borough code (agreed list)',
    ('fhub/privacy/erasure.py', 'self.erasure_id'): 'a random request id',
    ('fhub/privacy/erasure.py', 'sum((n for _, n in self.originals))'): 'a count',
    ('fhub/privacy/erasure.py', 'sum(self.model_rows.values())'): 'a count',
    ('fhub/privacy/findings.py', "self.borough_code or 'unknown borough'"): 'a borough code (agreed list)',
    ('fhub/privacy/findings.py', "self.extract_type or 'all extracts'"): 'an extract (agreed list)',
    ('fhub/privacy/findings.py', "self.period or 'all periods'"): 'a canonical period',
    ('fhub/privacy/findings.py', 'self.count'): 'a count',
    ('fhub/privacy/findings.py', 'self.scope.label()'): 'borough code, extract and period',
    ('fhub/privacy/findings.py', 'KIND_NAMES[self.kind]'): "an identifier kind's name (constant)",
    ('fhub/privacy/findings.py', 'self.artefact'): "an artefact's path in the data folder (pipeline-made)",
    ('fhub/privacy/findings.py', 'self.location'): 'relation.column or line number (code / number)',
    ('fhub/privacy/findings.py', 'self.shape'): 'a masked shape (fhub.privacy.shape)',
    ('fhub/privacy/findings.py', 'times'): 'a count',
    ('fhub/privacy/findings.py', 'where'): 'borough code, extract and period',
    ('fhub/privacy/gate.py', "' and more' if len(locations) > 5 else ''"): 'constant text',
    ('fhub/privacy/gate.py', "', '.join(kinds)"): "identifier kinds' names (constants)",
    ('fhub/privacy/gate.py', "', '.join(locations[:5])"): 'relation.column names (code)',
    ('fhub/privacy/gate.py', "', '.join(shapes[:5])"): 'masked shapes (fhub.privacy.shape)',
    ('fhub/privacy/gate.py', "'s' if n != 1 else ''"): 'plural ending',
    ('fhub/privacy/gate.py', 'n'): 'a count',
    ('fhub/privacy/gate.py', 'where'): "'work file' or 'published file' (constant)",
    ('fhub/privacy/gate.py', 'lit'): 'SQL: the run id as a literal',
    ('fhub/privacy/gate.py', 'table'): 'SQL: a raw table name (catalog)',
    ('fhub/privacy/gate.py', 'rel.schema'): 'a schema name (catalog)',
    ('fhub/privacy/gate.py', 'rel.name'): 'a relation name (catalog)',
    ('fhub/privacy/originals.py', 'SUFFIX'): 'a file suffix (constant)',
    ('fhub/privacy/originals.py', 'ORIGINAL_NAME'): 'a file name (constant)',
    ('fhub/privacy/originals.py', 'days'): 'the retention period (configuration)',
    ('fhub/privacy/originals.py', 'len(self.purged)'): 'a count',
    ('fhub/privacy/originals.py', 'self.kept'): 'a count',
    ('fhub/privacy/originals.py', 'RETENTION_ENV'): "a setting's name (configuration)",
}

#: Short local names, allowed only in the module that binds them to an allowed kind.
_LOCAL: dict[str, dict[str, str]] = {
    "fhub/landing/read.py": {"where": "'row N' / agreed sheet and row", "column": "a column number",
                             "m": "a missing agreed column name"},
    "fhub/landing/columns.py": {"col": "a contract column name"},
    "fhub/landing/engine.py": {"slug": "the borough's configured folder name", "line": "a line number",
                               "code": "a borough code (agreed list)"},
    "fhub/landing/land.py": {"where": "a borough slug or a count of boroughs", "i": "a count", "n": "a count",
                             "earlier": "counts by status", "folders": "a count", "status": "a status code",
                             "reason": "withdraw_delivery: the hub data team's own words"},
    "fhub/landing/receipts.py": {"slug": "the borough's folder name", "stem": "the run id as a file name",
                                 "col": "agreed column or 'column N' (landing.rejects/warnings)",
                                 "r": "a row number, or a file warning (a template)", "v": "a masked shape",
                                 "p": "a stored reason (a template)", "f": "a stored fix (a template)",
                                 "reason": "a stored reason (a template)", "fix": "a stored fix (a template)",
                                 "shown": "row numbers", "title": "a section title (constant)"},
    "fhub/landing/scan.py": {"i": "a column number"},
    "fhub/landing/labels.py": {"who": "the borough's slug", "short": "8 characters of the delivery id",
                               "extract": "the extract type", "period": "the canonical period"},
    "fhub/dq/landing_results.py": {"label": "the delivery label", "text": "'<agreed column>: <template>'",
                                   "n": "a count", "standing": "a fixed sentence", "listed": "templates + counts"},
    "fhub/dq/dbt_results.py": {"model": "a dbt model name", "column": "a mart column name", "kind": "a test kind"},
    "fhub/dq/gx_results.py": {"table": "a GX input table", "kind": "an error kind (error_kind)"},
    "fhub/dq/decision.py": {"source": "landing | dbt | gx"},
    "fhub/dq/history.py": {"label": "the delivery label", "status": "a status code", "n": "a count",
                           "share": "a percentage", "tail": "a fixed sentence"},
    "fhub/summary.py": {"reason": "a block reason: data-quality messages (templates), dbt kinds"},
    "fhub/privacy/messages.py": {"tail": "a known extension", "extension": "a known extension",
                                 "i": "a column number", "desc": "describe_heading (agreed name or shape)"},
    "flows/nightly.py": {"mode": "demo | production", "reason": "a block reason (templates)"},
    # serving (PostgreSQL): names from config/serving.yml and the public-relation declaration, counts, seconds,
    # run ids, exception classes and SQLSTATE codes - never a server message (it can quote a value)
    "fhub/serving/load.py": {
        "LOAD_INFO": "a table name (code)", "config.mart_schema": "a schema name (configuration)",
        "config.restricted_schema": "a schema name (configuration)", "schema": "a schema name (configuration)",
        "table.name": "a public relation name (code)", "restricted.name": "a table name (code)",
        "copied": "a count", "table.rows": "a count", "table.rows:,": "a count", "restricted.rows:,": "a count",
        "number": "a count", "len(public)": "a count", "len(self.tables)": "a count", "self.rows:,": "a count",
        "self.run_id": "a run id", "self.seconds:.1f": "seconds", "self.copy_seconds:.1f": "seconds",
        "self.swap_seconds:.2f": "seconds", "self.swap_attempts": "a count",
        "result.summary()": "LoadResult.summary: run id, counts and seconds",
    },
    "fhub/serving/swap.py": {"attempt": "a count", "budget_ms": "milliseconds (configuration)",
                             "give_up_after_s:.0f": "seconds (configuration)"},
    "fhub/serving/restricted.py": {"UNSUPPRESSED": "a work-file relation name (code)",
                                   "source.run_id": "a run id", "work_runs": "run ids"},
    "fhub/serving/roles.py": {"b.borough_code": "a borough code (configuration)",
                              "borough.role": "a role name (configuration)",
                              "config.borough_description": "a role description (configuration)",
                              "database": "the serving database's name (configuration)",
                              "len(outcome.missing)": "a count"},
    "fhub/serving/serve.py": {
        "exc": "a ServingConfigError: names config/serving.yml's key and fix (configuration)",
        "kind": "an exception's class name (code), never its text", "sqlstate": "an SQLSTATE code",
        "len(outcome.tables)": "a count", "sum(outcome.tables.values())": "a count",
        "len(result.skipped_undeclared)": "a count", "outcome.seconds:.1f": "seconds",
        "outcome.reason": "describe_failure: a template", "self.reason": "describe_failure: a template",
        "note": "a serving note (templates of configuration names, counts and run ids)",
        "notes": "serving notes (as note)", "self.summary": "LoadResult.summary: run id, counts and seconds",
        "self.target": "'FHUB_POSTGRES_DSN' or the local cluster's folder (configuration)",
        "self.local.root": "the local cluster's folder (configuration)",
    },
}
_LOCAL.update({
    # issue 17: the receipt's summary, to-do list, grouped warnings and clean-file lines
    "fhub/landing/receipt_view.py": {
        **dict.fromkeys(["len(items):,", "len(landed):,", "_count(items, 'held'):,", "_count(items, 'quarantined'):,",
                         "_count(items, 'waiting'):,", "_count(items, *NOT_LANDED):,", "rows[0]:,", "rows[1]:,", "rows[2]:,", "rows[3]:,",
                         "len(missing):,", "gap.not_landed", "g.rows:,", "len(g.files)", "len(g.files):,",
                         "len(g.files) - 12", "len(act):,", "i", "n:,"], "a count"),
        **dict.fromkeys(["cell(gap.extract)", "cell(gap.period)", "gap.due_on:%d %B %Y", "cell(o.label)",
                         "cell(o.extract_type)", "cell(o.period)", "cell(label)", "slug"],
                        "an extract, period, due date, delivery label or borough slug"),
        **dict.fromkeys(["cell(g.column)"], "an agreed column name"),
        **dict.fromkeys(["cell(g.reason)", "cell(g.fix)", "cell(o.fix or 'correct the file as its section below says')"],
                        "the landing engine's templated reason or fix"),
        **dict.fromkeys(["arrived", "overdue", "'held' if o.status == 'held' else 'not landed'", "NEXT_RUN", "t",
                         "shown", "more", "status"], "a template built here from the kinds above"),
        **dict.fromkeys(["ledger"], "fhub.landing.ledger.describe: counts of the file's lines"),
        **dict.fromkeys(["rows:,", "files"], "a count"),
        **dict.fromkeys(["col", "WHOLE_FILE", "columns"], "agreed column names (or the words '(whole file)')"),
        **dict.fromkeys(["cell(fix)"], "the landing engine's templated fix"),
        **dict.fromkeys(["cell(o.reason)"], "the landing engine's templated reason"),
        **dict.fromkeys(["html.escape(title)", "_STYLE", "md.render(markdown)"],
                        "the page shell around the receipt's own (templated) text"),
    },
    # issue 17: the run summary's per-borough table and relative paths
    "fhub/summary.py": {
        **{f"_rel(paths, {e})": "a path inside the data folder, relative to it" for e in (
            "paths.published_db", "paths.exports / 'current'", "paths.manifests / (summary['run_id'] + '.json')",
            "paths.receipts", "paths.gx_docs / 'index.html'", "paths.dbt_docs / 'index.html'",
            "paths.reports / 'performance' / 'index.html'", "paths.reports / 'run-summary.md'")},
        **dict.fromkeys(["slug"], "the borough's configured folder name"),
        **dict.fromkeys(["int(row.get('files', 0)):,", "int(row.get('landed', 0)):,", "held:,",
                         "int(row.get('rows_rejected', 0)):,", "scopes:,"], "a count"),
        **dict.fromkeys(["status", "receipt"], "a template built here (status words, receipt path)"),
        "reason": "a block reason: data-quality messages (templates), dbt kinds",
    },
    # issue 17: the report's ranked data problems and what changed
    "fhub/report/problems.py": {
        **dict.fromkeys(["extract", "period", "latest", "dim"], "an extract, period, cycle or DQ dimension"),
        **dict.fromkeys(["failed:,", "warned:,", "failed + warned:,", "len(members):,", "rows:,"], "a count"),
        **dict.fromkeys(["span"], "a template built here from periods"),
        **dict.fromkeys(["found.format(rows=_rows_text(rows))", "where", "tried"], "a template built here"),
    },
    "fhub/report/changes.py": {
        **dict.fromkeys(["year", "(year + 1) % 100:02d", "(moment.month - 4) % 12 // 3 + 1", "cycle",
                         "cycle or ''"], "a cycle (financial quarter)"),
        **dict.fromkeys(["kind.replace('_', ' ')", "value.replace('_', ' ')"], "a breakdown code (agreed list)"),
        **dict.fromkeys(["k", "r.get('revision_kind') or 'value revised'"], "a revision kind (the mart's codes)"),
        **dict.fromkeys(["len(rows):,", "min(TOP_N, len(rows))"], "a count"),
        **dict.fromkeys(["name"], "a borough name (reference list)"),
        **dict.fromkeys(["summary"], "a template built here from counts and revision kinds"),
    },
})
ALLOWED_HERE.update({(module, expr): kind for module, names in _LOCAL.items() for expr, kind in names.items()})

#: Issue 14 (nothing silently lost): the ledger, holds, file events, confirmations.
_LOCAL_LEDGER: dict[str, dict[str, str]] = {
    "fhub/landing/stage.py": {"slug": "the borough's configured folder name", "s.extract": "agreed patterns",
                              "s.pattern": "agreed file-name patterns (configuration)",
                              "prior.label or 'an earlier delivery'": "a delivery label", "prior.status": "a status",
                              "period": "the canonical period in the file name", "sha": "nil_return_id: hashed",
                              "borough_code": "hashed into an id", "extract": "hashed into an id"},
    "fhub/landing/commit.py": {"o.delivery_id[:8]": "the neutral name a quarantined file is stored under",
                               "landed": "an accounting AssertionError: row counts",
                               "expected": "an accounting AssertionError: row counts",
                               "alias": "SQL: a quoted key-cache alias"},
    "fhub/landing/status.py": {"share:.0%": "the borough's configured resubmission share"},
    "fhub/landing/engine.py": {"f": "an accounting AssertionError: a file number", "n_read": "a count",
                               "out.rows_delivered + sum((len(r) for r in kinds.values()))": "a count",
                               "ledger.unexplained:,": "a count"},
    "fhub/landing/columns.py": {"shape(cleaned[first])": "a masked shape", "shape(cleaned[hit])": "a masked shape",
                                "len(controls)": "a count", "first + 1": "a column number",
                                "cols": "column numbers", "hit + 1": "a column number",
                                "', '.join((str(i + 1) for i in controls[:10]))": "column numbers"},
    "fhub/landing/receipts.py": {"landed": "a fixed phrase (landed / accepted but held)",
                                 "describe_ledger(o.ledger)": "the ledger's counts (fhub.landing.ledger.describe)"},
    "fhub/landing/scan.py": {"drop_list": "SQL: file numbers", "CONTROL_CHARS_RX": "a constant regex"},
    "fhub/landing/result.py": {"len(self.by_status('held'))": "a count", "len(self.by_status('duplicate'))": "a count"},
    "fhub/landing/sheets.py": {"index + 1": "a sheet number", "agreed": "the agreed sheet name (configuration)",
                               "ledger.sheets_read - 1": "a count", "'s' if ledger.sheets_read > 2 else ''": "plural",
                               "writer.overflow": "a count", "position[0].upper()": "'sheet N of M'",
                               "position[1:]": "'sheet N of M'", "text_shape(name)": "a masked shape",
                               "n - heading:,": "a count", "n:,": "a count", "names.index(first) + 1": "a sheet number",
                               "label": "'sheet N of M'", "label[0].upper()": "'sheet N of M'",
                               "label[1:]": "'sheet N of M'"},
    "fhub/landing/ledger.py": dict.fromkeys([
        "rec['rows_landed'] + rec['rows_rejected']:,", "rec['rows_landed']:,", "rec['rows_rejected']:,",
        "rec['sheets_read']", "rec['lines_physical']:,", "sheets", "rec['lines_heading_block']:,",
        "rec['lines_unexplained']:,", "rec[key]:,", "what"], "counts and fixed words"),
    "fhub/landing/explain.py": {"'Row' if len(rows) == 1 else 'Rows'": "a fixed word", "shown": "row numbers",
                                "'it was' if len(rows) == 1 else 'they were'": "fixed words", "what": "fixed words"},
    "fhub/landing/periods.py": {"period": "the period the rows look like (canonical)", "total:,": "a count",
                                "named": "the period in the file name (canonical)"},
    "fhub/landing/guard.py": dict.fromkeys([
        "delivery_id[:16]", "slug", "self.withdrawn_keys:,", "self.old_keys:,", "self.key_name",
        "len(self.withdrawn_hubs)", "len(self.old_hubs)", "', '.join(self.withdrawn_hubs[:10])",
        "', …' if len(self.withdrawn_hubs) > 10 else ''", "period", "prev", "self.new_rows:,", "self.old_rows:,",
        "d[:12]", "fewer / self.old_rows:.0%", "r:%Y-%m-%d"],
        "delivery ids, counts, the agreed key column, known hub ids (validated when they landed), a period, dates "
        "a delivery was received, the borough's folder name"),
    "fhub/landing/cohort.py": dict.fromkeys([
        "'The early learning goal column' if len(names) == 1 else 'The early learning goal columns'", "shown",
        "'is' if len(names) == 1 else 'are'", "period", "len(names) - 6"],
        "agreed ELG column names, counts, a period"),
    "fhub/landing/events.py": dict.fromkeys([
        "kind", "st.st_size:,", "when", "suffix", "st.st_size", "st.st_mtime_ns", "what[0].upper()", "what[1:]"],
        "a known file type, size and time (never a name); the key hashes name, size and time"),
    "fhub/landing/confirm.py": dict.fromkeys([
        "prefix", "len(ids)", "delivery_id[:12]", "status", "extract", "period", "how",
        "', '.join((r[:12] for r in replaced))"],
        "delivery ids (the operator's own input), statuses, extracts, periods, fixed phrases"),
    "fhub/dq/landing_ledger.py": dict.fromkeys([
        "kind", "delivery_label(slug, extract, period, dup_of)", "label", "message", "reason", "extract", "period",
        "abs(unexplained):,",
        "physical:,"],
        "delivery labels and ids, stored templates (landing.delivery_checks, landing.holds, file_events), codes, "
        "counts"),
}
ALLOWED_HERE.update({(module, expr): kind for module, names in _LOCAL_LEDGER.items() for expr, kind in names.items()})

#: Values built by these modules from allowed kinds only (templates, shapes, labels, counts), read back.
ALLOWED.update(dict.fromkeys([
    "o.reason", "o.fix", "', '.join(map(_md_cell, o.supersedes))",
    "receipt_file_name(o.source_file, o.extract_type is not None)", "', '.join((repr(m) for m in missing))",
    "info.file_size / 1000000.0:.0f", "total / 1000000000.0:.1f", "MAX_XLSX_UNCOMPRESSED / 1000000000.0:.1f",
    "sum((o.rows_landed for o in clean)):,", "one if n == 1 else many or one + 's'", "len(boroughs)",
    "share:.4f", "float(observed or 0):.1%", "etype.replace('expect_', '').replace('_', ' ')",
    "summary.get('mode')", "summary.get('key_label')", "summary.get('code_version')",
    "'yes' if summary.get('published') else 'NO'", "boroughs['summary']", "reference['summary']",
    "summary['dbt']", "summary['gx']", "shape(heading)", "summary_path", "paths.published_db",
    "paths.exports / 'current'", "paths.manifests / (summary['run_id'] + '.json')", "paths.receipts",
    "paths.gx_docs / 'index.html'", "paths.dbt_docs / 'index.html'", "paths.reports / 'performance' / 'index.html'",
    "paths.reports / 'run-summary.md'",
], "a template, shape, label, count or path built from allowed kinds"))


@pytest.mark.parametrize("module", MODULES)
def test_message_placeholders_are_of_allowed_kinds(module: str) -> None:
    bad = []
    for line, expr, in_text in _placeholders(ROOT / module):
        if not in_text or expr in ALLOWED or (module, expr) in ALLOWED_HERE:
            continue
        bad.append(f"{module}:{line}: {{{expr}}}")
    assert bad == [], "placeholders in message text that are not of an allowed kind:\n" + "\n".join(bad)


#: Values concatenated into SQL-built messages (``'text' || expr || 'text'``): counts, row lists, periods and
#: codes from agreed lists (a known hub id, a borough code), never a delivered value.
SQL_OPERANDS = {"g.n", "g.first_row", "left(g.rows_list, 60)", "f.period", "h.hub_id", "h.borough_code", "y0",
                "(y0 - 5)", "(y0 - 4)", "right(cast(y0 + 1 as varchar), 2)", "{kinds}", "{tags}",
                "coalesce(cast(min(found) as varchar), 'fewer')", "coalesce(cast(max(found) as varchar), 'more')",
                "f.tolerance", "(y0 + 1)",
                "{width}", "lower(any_value(error_type))", "{c}", " || {c}", "{quoted}", " || {quoted}"}


def _strings(source: str) -> list[str]:
    """Every string literal of a module (an f-string with its placeholders as ``{expr}``)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            out.append("".join(str(v.value) if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
                               for v in node.values))
    return out


def concatenated_operands(text: str) -> set[str]:
    """The non-literal operands of ``||`` in a SQL text."""
    pieces = [p.strip() for p in text.split("||")]
    if len(pieces) < 2:
        return set()
    found = set(pieces[1:-1])
    if not pieces[0].endswith("'"):
        found.add(re.split(r"[\s,(]", pieces[0])[-1])
    if not pieces[-1].startswith("'"):
        found.add(re.split(r"[\s,)]", pieces[-1])[0])
    return {re.sub(r"\s+", " ", o) for o in found
            if o and not (o.startswith("'") and o.endswith("'")) and not o.startswith("case when")}


@pytest.mark.parametrize("module", ["fhub/landing/validate.py", "fhub/landing/scan.py", "fhub/landing/engine.py",
                                    "fhub/landing/receipts.py", "fhub/landing/rowchecks.py", "fhub/landing/commit.py",
                                    "fhub/landing/periods.py", "fhub/landing/explain.py"])
def test_sql_messages_concatenate_only_allowed_values(module: str) -> None:
    operands = set().union(*(concatenated_operands(t) for t in _strings((ROOT / module).read_text("utf-8"))))
    assert operands <= SQL_OPERANDS, f"SQL messages concatenate values of unknown kind: {operands - SQL_OPERANDS}"


def test_the_lint_catches_a_quoted_value(tmp_path: Path) -> None:
    """The check fails for the offenders issue 13 found: a heading, a file name, an exception, a raw cell."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(h, name, exc, con):\n"
        "    a = f\"Headings found: {', '.join(h)}\"\n"
        "    b = f\"The file name '{name}' does not match\"\n"
        "    c = f\"internal error: {exc}\"\n"
        "    con.execute(f\"select 'The hub {h} is unknown' from t\")\n"
        "    con.execute(f\"select m.{h} from t\")\n",
        encoding="utf-8",
    )
    flagged = sorted((line, expr) for line, expr, in_text in _placeholders(bad) if in_text and expr not in ALLOWED)
    # the heading list, the file name, the exception and the value inside a SQL literal; not the SQL column
    assert flagged == [(2, "', '.join(h)"), (3, "name"), (4, "exc"), (5, "h")]
    operands = concatenated_operands("select 'The hub ' || m.v_hub_id || ' is not a known family hub.'")
    assert operands == {"m.v_hub_id"} and not operands <= SQL_OPERANDS
    assert concatenated_operands("then 'Academic year ' || v_academic_year") == {"v_academic_year"}


# --------------------------------------------------------------------------------------------------
# the descriptions messages use
# --------------------------------------------------------------------------------------------------
def test_headings_are_described_by_position_agreed_name_and_shape() -> None:
    text = describe_headings(["ContactRef", "9434765919", "Amelia Okonkwo", "", "contact date"],
                             ["ContactRef", "ContactDate"])
    assert text == ("column 1 'ContactRef', column 2 (not agreed: 10 digits), column 3 (not agreed: text of 14 "
                    "characters), column 4 (blank), column 5 'ContactDate'")
    assert "more" in describe_headings(["x"] * 20, [], limit=15)


def test_file_names_are_labelled_or_masked() -> None:
    sha = "3f2a91c0" + "0" * 56
    assert delivery_label("hackney", "contacts", "2024-05", sha) == "hackney contacts 2024-05 (delivery 3f2a91c0)"
    assert delivery_label("hackney", None, None, sha) == "hackney file with an unrecognised name (delivery 3f2a91c0)"
    assert receipt_file_name("hackney_contacts_2024-05.csv", matched=True) == "hackney_contacts_2024-05.csv"
    assert receipt_file_name("9434765919.csv", matched=False) == "a name of 10 digits + .csv"
    # a pattern with a wildcard could let an identifier through: masked even when it matched
    assert receipt_file_name("hackney_9434765919_2024-05.csv", matched=True) == "a name of text of 26 characters + .csv"
    assert masked_file_name("Amelia Okonkwo.weird") == "a name of text of 14 characters + another extension"


def test_error_texts_are_reduced_to_their_kind() -> None:
    leak = "Conversion Error: Could not convert string 'Amelia Okonkwo 9434765919' to DATE"
    assert error_kind(leak) == "Conversion Error"
    assert "Amelia" not in safe_dbt_message(leak) and "9434765919" not in safe_dbt_message(leak)
    assert safe_dbt_message("Got 3 results, configured to fail if != 0") == "Got 3 results, configured to fail if != 0"
    assert safe_dbt_message(None) == "an error (the error text is in the dbt log, not repeated here)"

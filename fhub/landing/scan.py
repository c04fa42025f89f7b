"""Scan a prepared UTF-8 CSV into temp table ``_src`` (``_row``, ``_line``, ``c0..cN``) with DuckDB's
parallel CSV reader; malformed lines (too many / too few fields, bad bytes) become structural rejects in
``_struct`` instead of failing the file."""

from __future__ import annotations

import duckdb

from fhub.landing.quarantine import Unlandable
from fhub.landing.read import Prepared
from fhub.landing.sqlkit import ident, lit


class NotUtf8(Exception):  # noqa: N818
    """DuckDB found bytes that are not UTF-8 (caller retries as Windows-1252)."""


def scan(con: duckdb.DuckDBPyConnection, prep: Prepared) -> tuple[int, int]:
    """Returns (rows read fine, structurally rejected rows). Creates temp tables ``_src`` and ``_struct``."""
    n = len(prep.headers)
    cols = {f"c{i}": "VARCHAR" for i in range(n)}
    if prep.has_line_column:
        cols["c_line"] = "VARCHAR"
    columns = "{" + ", ".join(f"{lit(k)}: 'VARCHAR'" for k in cols) + "}"
    con.execute("drop table if exists temp._csv_rejects; drop table if exists temp._csv_scans")
    con.execute(f"""
        create or replace temp table _src0 as
        select * from read_csv({lit(str(prep.csv_path))}, header = false, skip = {prep.skip_lines},
            auto_detect = false, all_varchar = true, columns = {columns}, delim = {lit(prep.delimiter)},
            quote = '"', escape = '"', strict_mode = true, null_padding = false, ignore_errors = true,
            store_rejects = true, rejects_table = '_csv_rejects', rejects_scan = '_csv_scans',
            max_line_size = 4000000)
    """)
    errors = con.execute("""select error_type::varchar, min(line), count(*) from _csv_rejects
                            group by 1 order by 2""").fetchall()
    kinds = {e[0] for e in errors}
    if "INVALID ENCODING" in kinds or "INVALID UNICODE" in kinds:
        raise NotUtf8()
    if "UNQUOTED VALUE" in kinds:
        line = next(e[1] for e in errors if e[0] == "UNQUOTED VALUE")
        raise Unlandable(
            f"A quotation mark is not closed (around line {line}), so the rest of the file cannot be split "
            "into columns reliably.",
            "Check the value on that line: a text value containing a \" must be wrapped in quotes and the "
            "quote doubled (\"\"). Re-export the file from your system rather than editing it by hand.",
        )
    # structural rejects: one per physical record that could not be split into the heading's columns
    con.execute(f"""
        create or replace temp table _struct as
        select line as _line, line - {prep.header_line} as _row_guess,
               any_value(error_type::varchar) as error_type,
               max(regexp_extract(error_message, 'Found: ([0-9]+)', 1)) as found
        from _csv_rejects group by line
    """)
    n_struct = con.execute("select count(*) from _struct").fetchone()[0]
    line_expr = f"try_cast({ident('c_line')} as bigint)" if prep.has_line_column else None
    data_cols = ", ".join(ident(f"c{i}") for i in range(n))
    if n_struct == 0:
        line = line_expr or f"rowid + 1 + {prep.header_line}"
        con.execute(f"create or replace temp table _src as select rowid + 1 as _row, {line} as _line, {data_cols} "
                    f"from _src0")
    else:
        # data row numbers count the rejected records too: accepted k-th row → k + #(rejects before it)
        con.execute("""
            create or replace temp table _gaps as
            with r as (select _line - row_number() over (order by _line) as g from _struct)
            select g, count(*) over (order by g range between unbounded preceding and current row) as c from r
        """)
        con.execute(f"""
            create or replace temp table _src as
            with k as (select rowid + 1 as k, * from _src0)
            select k.k + coalesce(gp.c, 0) as _row,
                   {line_expr or f'k.k + coalesce(gp.c, 0) + {prep.header_line}'} as _line, {data_cols}
            from k asof left join _gaps gp on k.k + {prep.header_line} > gp.g
        """)
        con.execute(f"""
            create or replace temp table _struct as
            select _line - {prep.header_line} as _row, _line,
                   case when error_type = 'MISSING COLUMNS'
                        then 'The row has ' || coalesce(found, 'fewer') || ' values but the file has {n} columns '
                             || '(too few: a cut-off line or a missing separator).'
                        when error_type = 'TOO MANY COLUMNS'
                        then 'The row has ' || coalesce(found, 'more') || ' values but the file has {n} columns '
                             || '(too many: a separator inside a value that is not in quotes?).'
                        else 'The row could not be read (' || lower(error_type) || ').' end as reason
            from _struct
        """)
    con.execute("drop table if exists _src0")
    rows = con.execute("select count(*) from _src").fetchone()[0]
    return rows, n_struct

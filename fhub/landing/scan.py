"""Scan a group of prepared UTF-8 CSVs (same borough, same file spec, same column layout) in ONE DuckDB
``read_csv([...])`` into temp table ``_src`` (``_f`` file number, ``_row``, ``_line``, ``c0..cN``).

Malformed lines (too many / too few fields) become structural rejects in ``_struct`` (``_f, _row, _line,
reason``) instead of failing the file. Per-file fatal problems are reported back so the caller can take that
file out of the group: bytes that are not UTF-8 (retry as Windows-1252) and an unterminated quote
(quarantine). ``_files`` (``_f``, ``csv_path``, ``header_line``) must exist before :func:`scan_group` runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from fhub.landing.sqlkit import ident, lit


@dataclass
class ScanResult:
    #: file number → (rows read fine, structurally rejected rows)
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: file numbers whose bytes are not UTF-8 (retry as Windows-1252)
    not_utf8: set[int] = field(default_factory=set)
    #: file number → line of an unterminated quote (the file cannot be split reliably)
    unquoted: dict[int, int] = field(default_factory=dict)


#: Control characters removed from values (tab and line breaks are kept: they may sit in quoted text).
CONTROL_CHARS_RX = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"


def scan_group(con: duckdb.DuckDBPyConnection, csv_paths: list[str], width: int, skip_lines: int,
               delimiter: str, has_line_column: bool, keep: list[int] | None = None,
               strip_controls: bool = False) -> ScanResult:
    """Read every file of the group at once. ``csv_paths[i]`` is file number ``i`` in ``_files``. Only the
    source columns in ``keep`` (0-based; default all) are kept: columns that are not mapped — ignored,
    unknown or personal ones — are parsed to find the record boundaries but never stored, not even in a
    temporary table. A record whose every column is empty (a line of separators) is a *blank* record:
    kept out of ``_src`` and listed in ``_explained``. ``strip_controls``: control characters are removed
    from the kept values (files where the reader found some)."""
    kept = sorted(set(range(width) if keep is None else keep))
    cols = {f"c{i}": "VARCHAR" for i in range(width)}
    if has_line_column:
        cols["c_line"] = "VARCHAR"
    columns = "{" + ", ".join(f"{lit(k)}: 'VARCHAR'" for k in cols) + "}"
    files = "[" + ", ".join(lit(p) for p in csv_paths) + "]"
    con.execute("drop table if exists temp._csv_rejects; drop table if exists temp._csv_scans")
    con.execute(f"""
        create or replace temp table _src0 as
        select _fname{''.join(', ' + ident(f'c{i}') for i in kept)}{', c_line' if has_line_column else ''},
               coalesce({', '.join(f"nullif({ident(f'c{i}')}, '')" for i in range(width))}) is null as _blank
        from read_csv({files}, header = false, skip = {skip_lines},
            auto_detect = false, all_varchar = true, columns = {columns}, delim = {lit(delimiter)},
            quote = '"', escape = '"', strict_mode = true, null_padding = false, ignore_errors = true,
            store_rejects = true, rejects_table = '_csv_rejects', rejects_scan = '_csv_scans',
            max_line_size = 4000000, filename = '_fname')
    """)
    res = ScanResult()
    con.execute("""
        create or replace temp table _rejl as
        select f._f, r.line, r.error_type::varchar as error_type,
               try_cast(regexp_extract(r.error_message, 'Found: ([0-9]+)', 1) as integer) as found, r.csv_line
        from _csv_rejects r join _csv_scans s on s.scan_id = r.scan_id and s.file_id = r.file_id
        join _files f on f.csv_path = s.file_path
    """)
    for f, kind, line in con.execute("select _f, error_type, min(line) from _rejl group by all").fetchall():
        if kind in ("INVALID ENCODING", "INVALID UNICODE"):
            res.not_utf8.add(f)
        elif kind == "UNQUOTED VALUE":
            res.unquoted[f] = min(line, res.unquoted.get(f, line))
    dropped = res.not_utf8 | set(res.unquoted)
    drop_list = ", ".join(str(f) for f in sorted(dropped)) or "-1"
    # structural rejects: one per physical record that could not be split into the heading's columns
    con.execute(f"""
        create or replace temp table _struct as
        select r._f, r.line as _line, r.line - f.header_line as _row,
               -- DuckDB reports a short row once per missing column ('Found: 5', 'Found: 6', …) and a long
               -- one once per extra column: the row's own count is the smallest / the largest
               case when any_value(error_type) = 'MISSING COLUMNS'
                    then 'The row has ' || coalesce(cast(min(found) as varchar), 'fewer') || ' values but the file has '
                         || {width} || ' columns (too few: a cut-off line or a missing separator).'
                    when any_value(error_type) = 'TOO MANY COLUMNS'
                    then 'The row has ' || coalesce(cast(max(found) as varchar), 'more') || ' values but the file has '
                         || {width} || ' columns (too many: a separator inside a value that is not in quotes?).'
                    else 'The row could not be read (' || lower(any_value(error_type)) || ').' end as reason,
               any_value(csv_line) as _text
        from _rejl r join _files f using (_f)
        where r._f not in ({drop_list})
        group by r._f, r.line, f.header_line
    """)
    if strip_controls:
        data_cols = ", ".join(f"regexp_replace({ident(f'c{i}')}, '{CONTROL_CHARS_RX}', '', 'g') as {ident(f'c{i}')}"
                              for i in kept) or "null as _nothing"
    else:
        data_cols = ", ".join(ident(f"c{i}") for i in kept) or "null as _nothing"
    # k = position of a record among the file's accepted records. Insertion order is preserved, so each
    # file's records are one contiguous rowid range in file order: k = rowid - first rowid of the file + 1
    # (checked; if it ever did not hold, fall back to a window over rowid).
    con.execute("""
        create or replace temp table _bounds as
        select f._f, f.header_line, b.lo, b.n, b.hi - b.lo + 1 = b.n as contiguous
        from (select _fname, min(rowid) as lo, max(rowid) as hi, count(*) as n from _src0 group by 1) b
        join _files f on f.csv_path = b._fname
    """)
    contiguous = con.execute("select coalesce(bool_and(contiguous), true) from _bounds").fetchone()[0]
    k_expr = "s.rowid - b.lo + 1" if contiguous else "row_number() over (partition by b._f order by s.rowid)"
    line_col = f", try_cast({ident('c_line')} as bigint) as _xline" if has_line_column else ""
    base = (f"select b._f, {k_expr} as k, b.header_line{line_col}, s._blank, {data_cols} from _src0 s "
            f"join (select _bounds.*, csv_path from _bounds join _files using (_f)) b on b.csv_path = s._fname "
            f"where b._f not in ({drop_list})")
    has_struct = con.execute("select count(*) from _struct").fetchone()[0] > 0
    kept_cols = ", ".join(ident(f"c{i}") for i in kept) or "_nothing"
    if not has_struct:
        line_expr = "_xline" if has_line_column else "k + header_line"
        con.execute(f"create or replace temp view _src_all as select _f, k as _row, {line_expr} as _line, "
                    f"_blank, {kept_cols} from ({base})")
    else:
        # data row numbers count the rejected records too: accepted k-th row → k + #(rejects before it)
        line_expr = "_xline" if has_line_column else "k.k + coalesce(g.c, 0) + k.header_line"
        con.execute("""
            create or replace temp table _gaps as
            with r as (select _f, _line - header_line - row_number() over (partition by _f order by _line) as g
                       from _struct join _files using (_f))
            select _f, g, count(*) over (partition by _f order by g range between unbounded preceding and
                   current row) as c from r
        """)
        con.execute(f"""
            create or replace temp view _src_all as
            select k._f, k.k + coalesce(g.c, 0) as _row, {line_expr} as _line, k._blank, {kept_cols}
            from ({base}) k asof left join _gaps g on k._f = g._f and k.k > g.g
        """)
    con.execute("create or replace temp view _src as select * exclude (_blank) from _src_all where not _blank")
    con.execute("create or replace temp table _explained as select _f, _row, _line, 'blank' as kind from _src_all "
                "where _blank")
    for f, n_ok, n_struct in con.execute("""
        with b as (select _f, count(*) as n from _struct group by 1)
        select _f, coalesce(a.n, 0), coalesce(b.n, 0) from _files left join _bounds a using (_f)
        left join b using (_f)
    """).fetchall():
        if f not in dropped:
            res.counts[f] = (int(n_ok), int(n_struct))
    return res

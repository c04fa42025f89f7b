"""Small SQL helpers: quoting, literals and the privacy macros used by the validation SQL."""

from __future__ import annotations

import datetime as dt

_WS = " \t\r\n\u00a0"


def ident(name: str) -> str:
    """Quote an identifier (any text, including SQL metacharacters, is safe)."""
    return '"' + str(name).replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL string literal (or NULL)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def date_lit(value: dt.date) -> str:
    return f"date '{value.isoformat()}'"


def trimmed(expr: str) -> str:
    """Surrounding spaces, tabs, line breaks and no-break spaces removed; empty → null. The full trim only
    runs for values that start or end with such a character (cheap byte checks), which is ~6× faster than
    trimming every value with a character set."""
    ends = " or ".join(f"ends_with({expr}, chr({c}))" for c in (32, 9, 13, 10, 160))
    return (f"nullif(case when ascii({expr}) <= 32 or ascii({expr}) = 160 or {ends} then trim({expr}, {lit(_WS)}) "
            f"else {expr} end, '')")


NHS_RX = r"(^|[^0-9])([0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4})([^0-9]|$)"
UPN_RX = r"(^|[^A-Z0-9])[A-Z][0-9]{11}[0-9A-Z]([^A-Z0-9]|$)"
POSTCODE_RX = r"(^|[^A-Z0-9])[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}([^A-Z0-9]|$)"

#: Temporary macros (connection-scoped) used by the generated validation SQL.
MACROS: tuple[str, ...] = (
    # NHS number mod-11 check on a 10-digit string
    """create or replace temp macro _fhub_nhs_ok(d) as (
        length(d) = 10 and (11 - (
            cast(d[1] as int) * 10 + cast(d[2] as int) * 9 + cast(d[3] as int) * 8 + cast(d[4] as int) * 7 +
            cast(d[5] as int) * 6 + cast(d[6] as int) * 5 + cast(d[7] as int) * 4 + cast(d[8] as int) * 3 +
            cast(d[9] as int) * 2) % 11) % 11 = cast(d[10] as int))""",
    # one case-insensitive pass over the three shapes first: most values match none of them
    f"""create or replace temp macro _fhub_pii_kind(v) as case
        when v is null or not regexp_matches(v, '({NHS_RX})|({UPN_RX})|({POSTCODE_RX})', 'i') then null
        when regexp_matches(v, '{NHS_RX}')
             and _fhub_nhs_ok(regexp_replace(regexp_extract(v, '{NHS_RX}', 2), '[^0-9]', '', 'g'))
             then 'an NHS number'
        when regexp_matches(upper(v), '{UPN_RX}') then 'a UPN (unique pupil number)'
        when regexp_matches(upper(v), '{POSTCODE_RX}') then 'a full postcode'
        end""",
    # what a receipt may show of a value: never anything identifier-shaped, rare free text only as a stub
    """create or replace temp macro _fhub_excerpt(v, n_same) as case
        when v is null then null
        when regexp_matches(v, '[0-9]{6}') or _fhub_pii_kind(v) is not null
             then left(v, 2) || '… (hidden: may be an identifier)'
        when regexp_full_match(v, '[0-9 /.:,+-]{1,12}') then v
        when n_same >= 10 then left(v, 40) || case when length(v) > 40 then '…' else '' end
        else left(v, 1) || '… (' || length(v) || ' characters; shown in full only if it repeats)'
        end""",
)


def human_date_format(fmt: str) -> str:
    """'%d/%m/%Y' → 'DD/MM/YYYY' for messages."""
    if fmt == "excel_serial":
        return "an Excel date serial number"
    out = fmt
    for a, b in (("%d", "DD"), ("%m", "MM"), ("%Y", "YYYY"), ("%y", "YY"), ("%b", "Mon"), ("%B", "Month"),
                 ("%H", "hh"), ("%M", "mm"), ("%S", "ss")):
        out = out.replace(a, b)
    return out


def swapped_day_month(fmt: str) -> str | None:
    if "%d" in fmt and "%m" in fmt:
        return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    return None

"""A borough's data problems, ranked by impact: ONE list that both the "data problems to fix first" panel and
the data-problems table are drawn from, so the two can never disagree (issue 17).

Sources, all from the published file:

* the latest run's non-passing checks (``dq_check_results``), dbt and GX failures translated into plain
  language with the fix a data officer can make, or "for the central team" when only the pipeline's
  maintainers can act;
* the latest cycle's scorecard evaluations that are not checks (late deliveries, unusual row counts:
  ``dq_scorecard.checks_failed / checks_warned`` beyond what the checks explain);
* withheld values (``dq_withholdings``) not already explained by a failing check;
* nothing received: an extract the borough has never delivered (``deliveries``).

Every text is a template: its variable parts are extract names, periods, counts, dimension names and the
check's own (already templated) message and fix. No text of a borough's file is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the borough extracts every participating borough is expected to send (docs/architecture.md)
EXPECTED_EXTRACTS = ("register", "contacts", "referrals", "assessments", "eyfsp")

BOROUGH = "borough data officer"
CENTRAL = "central team"

IMPACT = {  # impact -> (rank, label)
    "blocking": (0, "stops tonight's publication"),
    "withheld": (1, "values withheld"),
    "missing": (2, "nothing received"),
    "fail": (3, "check failed"),
    "late": (4, "late delivery"),
    "warn": (5, "warning"),
}

#: plain-language text for dbt/GX failures by dimension: (what we found, fix for the borough)
_DIMENSION_TEXT = {
    "completeness": ("{rows} with a required value missing",
                     "Fill in the missing values in the {extract} extract for {period} and send it again."),
    "validity": ("{rows} with a value outside the agreed codes or formats",
                 "Use the agreed codes and formats (see your mapping file) in the {extract} extract for {period} "
                 "and send it again."),
    "uniqueness": ("{rows} recorded more than once",
                   "Remove the duplicate records from the {extract} extract for {period} and send it again."),
    "consistency": ("{rows} that do not match related records (for example a contact for a family that is not "
                    "in the register)",
                    "Check that every record in the {extract} extract for {period} refers to a family and hub in "
                    "your register extract, then send both again."),
    "plausibility": ("{rows} with values outside the usual range",
                     "Check the {extract} extract for {period} is complete and in the agreed units; send it again "
                     "if it is not."),
    "timeliness": ("the delivery arrived later than agreed",
                   "Send the {extract} extract for {period} within the agreed days after the period ends."),
}
_CENTRAL_FIX = ("For the central team: a check on the pipeline's own model failed; nothing for the borough to "
                "do unless the team asks.")
_GENERIC_FIX = re.compile(r"see the dbt test sql|see the (gx|great expectations) (suite|result)|^$", re.I)


@dataclass
class Problem:
    impact: str
    dimension: str
    what: str
    fix: str
    who: str
    extract: str = ""
    period: str = ""
    rows: int | None = None
    source: str = ""
    check: str = ""

    @property
    def rank(self) -> int:
        return IMPACT[self.impact][0]

    @property
    def impact_label(self) -> str:
        return IMPACT[self.impact][1]


def _rows_text(n: object) -> str:
    if n is None:
        return "some rows"
    n = int(n)
    return f"{n:,} row" + ("" if n == 1 else "s")


def translate_check(check: dict) -> Problem:
    """One non-passing check as a Problem, its message and fix in plain language."""
    source = str(check.get("source") or "")
    dimension = str(check.get("dimension") or "validity")
    severity = str(check.get("severity") or "warn")
    status = str(check.get("status") or "fail")
    extract = str(check.get("extract_type") or "")
    period = str(check.get("period") or "")
    rows = check.get("failing_rows")
    impact = ("blocking" if severity == "blocking_all" and status == "fail" else
              "withheld" if severity == "withhold_scope" and status == "fail" else
              "fail" if status == "fail" else "warn")
    message, fix = str(check.get("message") or ""), str(check.get("fix") or "")
    who = BOROUGH
    if source in ("dbt", "gx"):
        found, borough_fix = _DIMENSION_TEXT.get(dimension, _DIMENSION_TEXT["validity"])
        where = f" in the {extract} extract for {period}" if extract and period else (
            f" in the {extract} extract" if extract else "")
        if check.get("borough_code") and extract:
            message = f"A {dimension} check found {found.format(rows=_rows_text(rows))}{where}."
            if _GENERIC_FIX.search(fix.strip()):
                fix = borough_fix.format(extract=extract, period=period or "the period")
        else:
            who = CENTRAL
            message = (f"A {dimension} check on the pipeline's own model found "
                       f"{found.format(rows=_rows_text(rows))}.")
            fix = _CENTRAL_FIX
    elif not fix:
        fix = "Correct the file and send it again."
    return Problem(impact, dimension, message, fix, who, extract, period,
                   None if rows is None else int(rows), source or "check", str(check.get("check_name") or ""))


def group_repeats(problems: list[Problem]) -> list[Problem]:
    """The same warning-level check on several deliveries of one extract (e.g. rows landed with a warning in
    thirty monthly files) becomes one problem naming how many deliveries and rows; the receipts list each."""
    groups: dict[tuple, list[Problem]] = {}
    out: list[Problem] = []
    for p in problems:
        if p.impact == "warn" and p.source == "landing" and p.extract:
            groups.setdefault((p.check, p.dimension, p.extract), []).append(p)
        else:
            out.append(p)
    for (_, dimension, extract), members in groups.items():
        if len(members) == 1:
            out += members
            continue
        rows = sum(p.rows or 0 for p in members)
        periods = sorted(p.period for p in members if p.period)
        span = f", {periods[0]} to {periods[-1]}" if periods else ""
        fixes = {p.fix for p in members}
        out.append(Problem("warn", dimension,
                           f"{len(members):,} deliveries of the {extract} extract{span} had {rows:,} rows that "
                           "landed with a warning (each delivery's rows are in its receipt).",
                           fixes.pop() if len(fixes) == 1 else "See this run's receipts for the rows and the fix "
                           "for each delivery.", members[0].who, extract, "", rows, "landing", members[0].check))
    return out


def borough_problems(code: str, checks: list[dict], scorecard: list[dict], withholdings: list[dict],
                     deliveries: list[dict] | None) -> list[Problem]:
    """Every open problem of one borough, most impact first (the panel shows the first three)."""
    mine = group_repeats([translate_check(c) for c in checks if c.get("borough_code") == code])
    covered = {(p.extract, p.period) for p in mine if p.impact in ("blocking", "withheld")}
    for w in withholdings:
        if w.get("borough_code") != code or (str(w.get("extract_type") or ""), str(w.get("period") or "")) in covered:
            continue
        n = int(w.get("rows_withheld") or 0)
        extract, period = str(w.get("extract_type") or "all extracts"), str(w.get("period") or "all periods")
        mine.append(Problem("withheld", "data quality",
                            f"{n:,} published values withheld for the {extract} extract, {period}.",
                            "Correct and send this delivery again; the values publish on the next run.",
                            BOROUGH, extract, period, n, "withholding"))
    if deliveries is not None:
        sent = {str(d.get("extract_type")) for d in deliveries
                if d.get("borough_code") == code and d.get("status") in ("landed", "superseded")}
        arrived = {str(d.get("extract_type")) for d in deliveries if d.get("borough_code") == code}
        if not arrived:
            mine.append(Problem("missing", "completeness",
                                "Nothing received from this borough yet: none of the extracts (register, contacts, "
                                "referrals, assessments, EYFSP) has arrived.",
                                "Send the extracts agreed in your mapping file; if the borough has not joined yet, "
                                "ask the central team to set up its mapping.", BOROUGH, "", "", None, "deliveries"))
        for extract in EXPECTED_EXTRACTS if arrived else ():
            if extract in sent:
                continue
            tried = " (files arrived but none could be landed)" if extract in arrived else ""
            mine.append(Problem("missing", "completeness", f"Nothing received for the {extract} extract{tried}.",
                                f"Send the {extract} extract as agreed in your mapping file; its metrics show "
                                "x (not available) until it lands.", BOROUGH, extract, "", None, "deliveries"))
    mine += _scorecard_problems(code, scorecard, mine)
    return sorted(mine, key=lambda p: (p.rank, -(p.rows or 0), p.extract, p.period, p.what))


def _scorecard_problems(code: str, scorecard: list[dict], checks: list[Problem]) -> list[Problem]:
    """Evaluations the scorecard counts that are not checks: late deliveries and unusual row counts in the
    latest cycle (the same numbers the DQ scores table shows)."""
    mine = [r for r in scorecard if r.get("borough_code") == code and r.get("dimension") != "overall"]
    if not mine:
        return []
    latest = max(str(r.get("cycle")) for r in mine)
    out = []
    for r in mine:
        if str(r.get("cycle")) != latest:
            continue
        dim = str(r.get("dimension"))
        failed = int(r.get("checks_failed") or 0) - sum(1 for p in checks if p.dimension == dim and p.impact != "warn"
                                                      and p.source in ("dbt", "gx", "landing"))
        warned = int(r.get("checks_warned") or 0) - sum(1 for p in checks if p.dimension == dim and p.impact == "warn"
                                                      and p.source in ("dbt", "gx", "landing"))
        if dim == "timeliness" and failed > 0:
            out.append(Problem("late", dim, f"{failed:,} deliveries arrived late in cycle {latest} (later than "
                                            "this borough usually sends and than other boroughs).",
                               "Send each extract within the agreed days after its period ends; tell the central "
                               "team if a date cannot be met.", BOROUGH, "", latest, failed, "scorecard"))
        elif dim == "plausibility" and warned > 0:
            out.append(Problem("warn", dim, f"{warned:,} deliveries in cycle {latest} had an unusual number of "
                                            "rows or of rejected rows compared with this borough's last six.",
                               "Check those extracts are complete (no missing days or hubs) and send them again "
                               "if not.", BOROUGH, "", latest, warned, "scorecard"))
        elif failed > 0 or warned > 0:
            out.append(Problem("fail" if failed else "warn", dim,
                               f"{failed + warned:,} {dim} checks did not pass in cycle {latest} (counted in the "
                               "data-quality score; from earlier runs of the cycle).",
                               "For the central team: find them in dq_check_results for this cycle and tell the "
                               "borough what to correct.",
                               CENTRAL, "", latest, failed + warned, "scorecard"))
    return out

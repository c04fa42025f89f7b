"""A small, clearly synthetic published file in the documented public shape, for tests and report design.

Three boroughs, seven hubs, nine metrics, academic years and financial quarters. Not real data, never
published: it exists so the report and the withholding logic can be tested before (and without) a full run.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb

from fhub.dq.schema import insert_rows
from fhub.report.stats import Z95, Z998, wilson

BOROUGHS = (("E09000012", "Hackney"), ("E09000024", "Merton"), ("E09000033", "Westminster"))
HUBS = (
    ("HAC-01", "Hackney Central Hub", "E09000012"),
    ("HAC-02", "Hackney Marshes Hub", "E09000012"),
    ("HAC-03", "Stoke Newington Hub", "E09000012"),
    ("MER-01", "Mitcham Hub", "E09000024"),
    ("MER-02", "Morden Hub", "E09000024"),
    ("WES-01", "Church Street Hub", "E09000033"),
    ("WES-02", "Queen's Park Hub", "E09000033"),
)
#: metric_id, name, domain, layer, source_extract, polarity, frequency, base rate
METRICS = (
    ("gld", "Good level of development", "learning", "children", "fct_eyfsp_results", "high_is_good", "academic_year", 0.68),
    ("all_elgs", "Expected in all ELGs", "learning", "children", "eyfsp", "high_is_good", "academic_year", 0.65),
    ("comm_lang", "Expected in communication and language", "healthy", "children", "eyfsp", "high_is_good",
     "academic_year", 0.80),
    ("psed", "Expected in personal, social and emotional development", "happy", "children", "eyfsp",
     "high_is_good", "academic_year", 0.83),
    ("reach_under5", "Reach of resident under-5s", "engaged", "service", "fct_hub_registrations + fct_hub_contacts", "high_is_good",
     "quarter", 0.35),
    ("engaged_3plus", "Families engaged (3+ contacts)", "engaged", "parents", "contacts", "high_is_good",
     "quarter", 0.42),
    ("dna_rate", "Did-not-attend rate", "safe", "service", "contacts", "low_is_good", "quarter", 0.12),
    ("referrals_accepted", "Referrals accepted", "safe", "parents", "referrals", "high_is_good", "quarter", 0.71),
    ("swemwbs_improved", "Parents with meaningful SWEMWBS improvement", "happy", "parents", "assessments",
     "high_is_good", "quarter", 0.38),
)
ACADEMIC_YEARS = ("2018/19", "2021/22", "2022/23", "2023/24")
QUARTERS = ("2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2")
DIMENSIONS = ("completeness", "validity", "uniqueness", "timeliness", "consistency", "plausibility")
LONDON = ("E12000007", "London")
ENGLAND = ("E92000001", "England")


def _verdict(lower: float, upper: float, benchmark: float, polarity: str) -> str:
    if upper < benchmark:
        side = "lower"
    elif lower > benchmark:
        side = "higher"
    else:
        return "similar"
    if polarity == "high_is_good":
        return "better" if side == "higher" else "worse"
    if polarity == "low_is_good":
        return "better" if side == "lower" else "worse"
    return side


def build_sample_published(path: Path, seed: int = 7, run_id: str = "sample-run") -> Path:
    """Write the sample published file to ``path`` (replacing it) and return the path."""
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)
    counts: dict[tuple, tuple[int, int]] = {}
    for metric_id, *_rest, frequency, base in METRICS:
        periods = ACADEMIC_YEARS if frequency == "academic_year" else QUARTERS
        for i, period in enumerate(periods):
            for code, _name, borough in HUBS:
                den = rng.randint(60, 260) if frequency == "academic_year" else rng.randint(40, 180)
                drift = 0.012 * i if metric_id != "dna_rate" else -0.004 * i
                p = min(0.97, max(0.02, base + drift + rng.uniform(-0.07, 0.07)))
                if code == "HAC-02" and metric_id == "gld":
                    p -= 0.12  # one hub clearly below its borough, so the funnel plot shows an outlier
                num = max(0, min(den, round(p * den)))
                counts[(metric_id, "hub", code, period)] = (num, den)
                bkey = (metric_id, "borough", borough, period)
                n0, d0 = counts.get(bkey, (0, 0))
                counts[bkey] = (n0 + num, d0 + den)
    for (metric_id, level, _code, period), (num, den) in list(counts.items()):
        if level == "borough":
            key = (metric_id, "region", LONDON[0], period)
            n0, d0 = counts.get(key, (0, 0))
            counts[key] = (n0 + num, d0 + den)
    metric_info = {m[0]: m for m in METRICS}
    names = dict(BOROUGHS) | {h[0]: h[1] for h in HUBS} | {LONDON[0]: LONDON[1], ENGLAND[0]: ENGLAND[1]}
    rows = []
    for (metric_id, level, code, period), (num, den) in sorted(counts.items()):
        info = metric_info[metric_id]
        polarity = info[5]
        london_num, london_den = counts[(metric_id, "region", LONDON[0], period)]
        london_value = 100 * london_num / london_den
        england_value = 100 * (info[7] + 0.01)
        low95, up95 = wilson(num, den, Z95)
        low998, up998 = wilson(num, den, Z998)
        value = 100 * num / den
        symbol = None
        if level == "hub" and num < 10:
            symbol = "c"
        rows.append(
            (
                metric_id, info[1], info[2], info[3], level, code, names[code], period, "total", "total",
                None if symbol else num, None if symbol else den, None if symbol else round(value, 1),
                None if symbol else round(100 * low95, 1), None if symbol else round(100 * up95, 1),
                None if symbol else round(100 * low998, 1), None if symbol else round(100 * up998, 1),
                round(london_value, 1), round(england_value, 1),
                None if level == "region" else _verdict(100 * low95, 100 * up95, london_value, polarity),
                _verdict(100 * low95, 100 * up95, england_value, polarity),
                "no significant change", 75.0 if metric_id == "gld" else None, symbol, "published",
                None, "starter-0.1", run_id,
            )
        )
    for metric_id, *_ in METRICS[:1]:
        for period in ACADEMIC_YEARS:
            value = {"2018/19": 71.8, "2021/22": 65.2, "2022/23": 67.2, "2023/24": 67.7}[period]
            rows.append(
                (metric_id, metric_info[metric_id][1], "learning", "children", "country", ENGLAND[0], ENGLAND[1],
                 period, "total", "total", None, None, value, None, None, None, None, None, value, None, None,
                 None, 75.0, None, "published", None, "starter-0.1", run_id)
            )
    con = duckdb.connect(str(path))
    try:
        con.execute(
            """
            create table indicator_values (
              metric_id varchar, metric_name varchar, domain varchar, layer varchar, geography_level varchar,
              geography_code varchar, geography_name varchar, period varchar, breakdown_type varchar,
              breakdown_value varchar, numerator bigint, denominator bigint, value double, lower_95 double,
              upper_95 double, lower_998 double, upper_998 double, london_value double, england_value double,
              compared_to_london varchar, compared_to_england varchar, trend varchar, target_value double,
              suppression_symbol varchar, dq_status varchar, dq_reason varchar, framework_version varchar,
              run_id varchar)
            """
        )
        insert_rows(con, "indicator_values", [r[0] for r in con.execute("describe indicator_values").fetchall()], rows)
        con.execute("create table boroughs (borough_code varchar, borough_name varchar)")
        con.executemany("insert into boroughs values (?, ?)", BOROUGHS)
        con.execute("create table hubs (hub_id varchar, hub_name varchar, borough_code varchar)")
        con.executemany("insert into hubs values (?, ?, ?)", HUBS)
        con.execute(
            "create table framework_metrics (metric_id varchar, metric_name varchar, domain varchar, "
            "layer varchar, source_extract varchar, polarity varchar, frequency varchar)"
        )
        con.executemany("insert into framework_metrics values (?, ?, ?, ?, ?, ?, ?)", [m[:7] for m in METRICS])
        con.execute(
            "create table data_availability (borough_code varchar, metric_id varchar, domain varchar, "
            "layer varchar, availability varchar, reason varchar)"
        )
        avail = []
        for b, _ in BOROUGHS:
            for m in METRICS:
                status = rng.choice(("available", "available", "available", "accessible", "missing"))
                avail.append((b, m[0], m[2], m[3], status, None if status == "available" else "not yet sent"))
        insert_rows(con, "data_availability", [r[0] for r in con.execute("describe data_availability").fetchall()], avail)
        con.execute(
            "create table dq_scorecard (borough_code varchar, cycle varchar, dimension varchar, "
            "checks_total bigint, checks_passed bigint, checks_warned bigint, checks_failed bigint, "
            "score double, previous_score double, score_change double, trend varchar)"
        )
        scores = []
        for b, _ in BOROUGHS:
            for d in DIMENSIONS:
                prev = None
                for cycle in QUARTERS:
                    total = rng.randint(8, 20)
                    failed = rng.randint(0, 3)
                    warned = rng.randint(0, 2)
                    score = round(100 * (total - failed - 0.5 * warned) / total, 1)
                    change = None if prev is None else round(score - prev, 1)
                    trend = None if change is None else ("improving" if change > 5 else "declining" if change < -5 else "stable")
                    scores.append((b, cycle, d, total, total - failed - warned, warned, failed, score, prev, change, trend))
                    prev = score
        insert_rows(con, "dq_scorecard", [r[0] for r in con.execute("describe dq_scorecard").fetchall()], scores)
        con.execute(
            "create table dq_check_results (run_id varchar, check_id varchar, checked_at timestamp, "
            "cycle varchar, borough_code varchar, extract_type varchar, period varchar, check_name varchar, "
            "source varchar, target_relation varchar, dimension varchar, severity varchar, status varchar, "
            "observed_value varchar, failing_rows bigint, failing_sample varchar, message varchar, fix varchar, "
            "priority bigint)"
        )
        checks = [
            ("E09000012", "contacts", "2024-05", "rows_rejected", "landing", "validity", "withhold_scope", "fail", 38,
             "hackney contacts 2024-05 (delivery 3f2a91c0): 38 of 400 rows (9.5%) were rejected — HubCode: The value in HubCode is not a known family hub id. (30)",
             "Use the hub ids in the hub register (e.g. HAC-01), or ask us to add a new hub."),
            ("E09000012", "eyfsp", "2023/24", "expect_column_values_to_not_be_null(birth_month)", "gx",
             "completeness", "warn", "warn", 12, "eyfsp 2023/24: 12 pupils have no birth month.",
             "Fill in the birth month so summer-born analysis includes them."),
            ("E09000012", "register", None, "file_landed", "landing", "completeness", "warn", "warn", None,
             "hackney register 2024-05 (delivery 7c01d2e4) was quarantined: the workbook has no sheet called 'Register' (the agreed sheet name). An earlier delivery is still used.",
             "Send the register with the sheet named as in the mapping file."),
            ("E09000012", "referrals", "2024/25 Q1", "rows_with_warnings", "landing", "validity", "warn", "warn", 4,
             "4 referrals have an outcome date before the referral date.", "Check the dates at source."),
            ("E09000024", "contacts", "2024-05", "rows_rejected", "landing", "validity", "warn", "warn", 3,
             "merton_contacts_2024-05.csv: 3 of 500 rows (0.6%) were rejected — contact_date: not a date (3)",
             "Write dates as DD/MM/YYYY."),
        ]
        for i, (b, e, p, name, src, dim, sev, status, failing, msg, fix) in enumerate(checks):
            con.execute(
                "insert into dq_check_results values (?, ?, timestamp '2024-07-02 02:00', '2024/25 Q2', ?, ?, ?, ?, "
                "?, null, ?, ?, ?, null, ?, null, ?, ?, ?)",
                [run_id, f"c{i}", b, e, p, name, src, dim, sev, status, failing, msg, fix, i + 1],
            )
        con.execute(
            "create table dq_withholdings (borough_code varchar, extract_type varchar, period varchar, "
            "reasons varchar, rows_withheld bigint)"
        )
        con.execute(
            "create table gld_target_tracker (geography_level varchar, geography_code varchar, "
            "geography_name varchar, academic_year varchar, is_latest boolean, gld_value double, "
            "gld_numerator double, gld_denominator double, gld_source varchar, target_value double, "
            "gap_to_target_pp double, projected_value double, projection_lower_95 double, "
            "projection_upper_95 double, verdict varchar)"
        )
        con.execute(
            """
            insert into gld_target_tracker
            select geography_level, geography_code, geography_name, period,
                   period = max(period) over (partition by geography_code), value, numerator, denominator,
                   case when geography_level = 'country' then 'published:eyfsp_headline' else 'pupil_level' end,
                   75.0, 75.0 - value, null, null, null, null
            from indicator_values where metric_id = 'gld' and geography_level in ('borough', 'region', 'country')
            """
        )
        con.execute(
            "update gld_target_tracker set projected_value = gld_value + 4, projection_lower_95 = gld_value - 1, "
            "projection_upper_95 = gld_value + 9, verdict = 'uncertain' where is_latest"
        )
        # what changed since the last cycle: many revised values, with breakdowns (the page shows the top 10)
        con.execute(
            """
            create table dq_revisions as
            select ? as run_id, 'previous-run' as previous_run_id, timestamp '2024-07-02 02:00' as snapshot_at,
                   metric_id, geography_level, geography_code, geography_code as borough_code, period,
                   bt as breakdown_type, bv as breakdown_value, value as previous_value,
                   round(value + (hash(metric_id || period || bv) % 50) / 10.0, 1) as current_value,
                   round((hash(metric_id || period || bv) % 50) / 10.0, 1) as value_change,
                   'value revised' as revision_kind, 'd1' as causing_delivery_ids,
                   'hackney eyfsp 2023/24 (delivery 3f2a91c0)' as causing_deliveries
            from indicator_values, (values ('total', 'total'), ('sex', 'female'), ('sex', 'male')) b(bt, bv)
            where geography_code = 'E09000012' and value is not null
            """,
            [run_id],
        )
        con.execute("create table run_manifest as select ? as run_id, '{}' as manifest_json", [run_id])
        con.execute("checkpoint")
    finally:
        con.close()
    return path

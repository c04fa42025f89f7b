"""The demo generator: determinism, dialect files that their mapping reads back, linkage, EYFSP shape."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from fhub.cli import main as fhub_main
from fhub.contracts import CONTRACTS, ELG_COLUMNS, GLD_ELGS
from fhub.landing.mapping import EXCEL_SERIAL, BoroughMapping, FileSpec, load_borough_mappings
from fhub_dev.demo import generate, generate_day
from fhub_dev.demo.dialects import RAW_IDENTIFIER_COLUMNS
from fhub_dev.demo.hubs import load_family_hubs

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = PROJECT / "config" / "boroughs"


# --------------------------------------------------------------------------------------------------
# a small reference reader: a delivered file -> contract rows (what landing must be able to do)
# --------------------------------------------------------------------------------------------------
def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_source(path: Path, spec: FileSpec) -> tuple[list[str], list[list]]:
    if spec.format == "xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb[spec.sheet] if spec.sheet else wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        wb.close()
        header = [_cell_text(h) for h in rows[spec.header_row - 1]]
        width = len(header)
        return header, [(list(r) + [None] * width)[:width] for r in rows[spec.header_row :]]
    text = path.read_bytes().decode(spec.encoding)
    rows = list(csv.reader(io.StringIO(text), delimiter=spec.delimiter))
    header = [h.lstrip("\ufeff") for h in rows[spec.header_row - 1]]
    return header, rows[spec.header_row :]


def read_contract_rows(path: Path, spec: FileSpec) -> tuple[list[str], list[dict]]:
    header, rows = read_source(path, spec)
    contract = CONTRACTS[spec.extract]
    out = []
    for raw in rows:
        rec = dict(zip(header, raw, strict=True))
        row: dict = dict(spec.constants)
        for col, src in spec.columns.items():
            value = rec[src]
            kind = contract.column(col).kind
            if value in (None, ""):
                row[col] = None
            elif kind in ("date", "month"):
                if spec.date_format == EXCEL_SERIAL:
                    row[col] = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
                else:
                    row[col] = dt.datetime.strptime(str(value), spec.date_format).date()
            elif kind in ("integer", "decimal"):
                row[col] = float(value)
            else:
                row[col] = spec.to_contract_value(col, _cell_text(value))
        out.append(row)
    return header, out


# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("incoming")
    summary = generate(out, scale="tiny", seed=42, real_data_dir=None)
    mappings = {m.slug: m for m in load_borough_mappings(CONFIG)}
    return summary, mappings


@pytest.fixture(scope="module")
def tiny_rows(tiny):
    """{slug: {extract: [contract rows]}} read back through each borough's mapping."""
    summary, mappings = tiny
    rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for path in summary.files:
        m = mappings[path.parent.name]
        spec, _ = m.match(path.name)
        rows[m.slug][spec.extract].extend(read_contract_rows(path, spec)[1])
    return rows


def test_tiny_is_deterministic_and_seed_dependent(tiny, tmp_path):
    summary, _ = tiny
    again = generate(tmp_path / "a", scale="tiny", seed=42, real_data_dir=None)
    assert [p.relative_to(again.out_dir) for p in again.files] == [
        p.relative_to(summary.out_dir) for p in summary.files
    ]
    for a, b in zip(summary.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "b", scale="tiny", seed=7, boroughs=["hackney"], years=1, real_data_dir=None)
    first = next(p for p in other.files if p.name.startswith("hackney_contacts"))
    assert first.read_bytes() != (summary.out_dir / "hackney" / first.name).read_bytes()


def test_tiny_covers_three_dialects_and_every_extract(tiny):
    summary, mappings = tiny
    assert {mappings[s].dialect for s in summary.rows} == {"alpha", "beta", "gamma"}
    for slug, counts in summary.rows.items():
        assert set(counts) == set(CONTRACTS), slug
        assert all(n > 0 for n in counts.values()), (slug, counts)
    assert {p.suffix for p in summary.files} == {".csv", ".txt", ".xlsx"}
    assert 80 <= summary.rows["hackney"]["eyfsp"] <= 120  # ~50 pupils x 2 years


def test_every_file_matches_its_mapping_and_has_the_mapped_headers(tiny):
    summary, mappings = tiny
    for path in summary.files:
        m: BoroughMapping = mappings[path.parent.name]
        got = m.match(path.name)
        assert got is not None, path.name
        spec, period = got
        assert spec.period_format != "day"
        header, _ = read_source(path, spec)
        assert set(spec.columns.values()) <= set(header), path.name
        unmapped = set(header) - set(spec.columns.values()) - set(spec.ignore_columns)
        # the only unmapped columns are the raw identifiers landing must drop
        assert unmapped == set(RAW_IDENTIFIER_COLUMNS[m.dialect].get(spec.extract, ())), path.name


def test_read_back_values_are_valid_contract_values(tiny_rows):
    hubs = load_family_hubs()
    for slug, by_extract in tiny_rows.items():
        code = {"hackney": "E09000012", "merton": "E09000024", "westminster": "E09000033"}[slug]
        hub_ids = {h.hub_id for h in hubs[code]}
        for extract, rows in by_extract.items():
            contract = CONTRACTS[extract]
            for row in rows:
                for col in contract.columns:
                    value = row.get(col.name)
                    if value is None:
                        assert not col.required, (slug, extract, col.name)
                        continue
                    if col.kind == "code":
                        assert value in col.allowed, (slug, extract, col.name, value)
                    elif col.kind == "boolean":
                        assert isinstance(value, bool), (slug, extract, col.name, value)
                    elif col.kind in ("integer", "decimal"):
                        assert col.min_value is None or col.min_value <= value <= col.max_value
                if "hub_id" in row:
                    assert row["hub_id"] in hub_ids, (slug, row["hub_id"])
            key = contract.key
            keys = [tuple(r[k] for k in key) for r in rows]
            assert len(keys) == len(set(keys)), (slug, extract, "duplicate keys")


def test_hub_and_eyfsp_share_child_ids(tiny_rows):
    for slug, by_extract in tiny_rows.items():
        children = {r["person_id"] for r in by_extract["register"] if r["role"] == "child"}
        contacted = {r["person_id"] for r in by_extract["contacts"]}
        pupils = [r["pupil_id"] for r in by_extract["eyfsp"]]
        linked = [p for p in pupils if p in children]
        assert 0.15 <= len(linked) / len(pupils) <= 0.7, slug
        assert any(p in contacted for p in linked), slug
        # the register and EYFSP agree on who the child is
        reg = {r["person_id"]: r for r in by_extract["register"]}
        for r in by_extract["eyfsp"]:
            if r["pupil_id"] in reg:
                assert reg[r["pupil_id"]]["birth_month"] == r["birth_month"]
                assert reg[r["pupil_id"]]["home_lsoa"] == r["home_lsoa"]


def test_eyfsp_has_all_17_elgs_and_a_few_missing_judgements(tiny_rows):
    rows = [r for by in tiny_rows.values() for r in by["eyfsp"]]
    for r in rows:
        assert set(ELG_COLUMNS) <= set(r)
        # children are in Reception in the academic year they turn 5
        start = int(r["academic_year"][:4])
        assert dt.date(start - 5, 9, 1) <= r["birth_month"] <= dt.date(start - 4, 8, 1)
    incomplete = [r for r in rows if any(r[e] is None for e in ELG_COLUMNS)]
    assert 0 < len(incomplete) <= 0.08 * len(rows)


def test_activity_realism(tiny_rows):
    contacts = [r for by in tiny_rows.values() for r in by["contacts"]]
    dna = sum(not r["attended"] for r in contacts) / len(contacts)
    assert 0.08 <= dna <= 0.18
    models = Counter(r["delivery_model"] for r in contacts)
    assert models["direct"] > models["commissioned"] > 0
    assert all(r["partner_name"] for r in contacts if r["delivery_model"] == "commissioned")
    assessments = [r for by in tiny_rows.values() for r in by["assessments"]]
    asq = [r for r in assessments if r["tool"] == "asq3" and r["stage"] == "baseline"]
    assert asq and all(24 <= r["age_months"] <= 30 for r in asq)
    assert all(r["asq_communication"] % 5 == 0 for r in asq)
    swem = defaultdict(dict)
    for r in assessments:
        if r["tool"] == "swemwbs":
            swem[r["person_id"]][r["stage"]] = r["swemwbs_raw_total"]
    pairs = [(s["baseline"], s["review"]) for s in swem.values() if "baseline" in s and "review" in s]
    assert len(pairs) >= 10
    assert np.mean([b for _, b in pairs]) > np.mean([a for a, _ in pairs])
    referrals = [r for by in tiny_rows.values() for r in by["referrals"]]
    for r in referrals:
        assert (r["outcome"] == "pending") == (r["outcome_date"] is None)
        if r["outcome_date"]:
            assert r["outcome_date"] > r["referral_date"]


def test_generate_day_writes_one_daily_contacts_file_per_borough(tiny, tmp_path):
    summary, mappings = tiny
    day = generate_day(tmp_path, "2026-09-14", scale="tiny", seed=42, real_data_dir=None)
    assert len(day.files) == 3
    bulk_ids = {r for slug in ("hackney",) for r in _ids(summary, mappings, slug)}
    for path in day.files:
        spec, period = mappings[path.parent.name].match(path.name)
        assert (spec.extract, spec.period_format, period) == ("contacts", "day", "2026-09-14")
        _, rows = read_contract_rows(path, spec)
        assert rows and {r["contact_date"] for r in rows} == {dt.date(2026, 9, 14)}
        if path.parent.name == "hackney":
            assert not bulk_ids & {r["contact_id"] for r in rows}


def _ids(summary, mappings, slug):
    for path in summary.files:
        if path.parent.name == slug:
            spec, _ = mappings[slug].match(path.name)
            if spec.extract == "contacts":
                yield from (r["contact_id"] for r in read_contract_rows(path, spec)[1])


def test_boroughs_without_committed_mapping_need_a_config_dir(tmp_path):
    with pytest.raises(ValueError, match="--config-dir"):
        generate(tmp_path / "in", scale="tiny", boroughs=["sutton"], real_data_dir=None)
    summary = generate(
        tmp_path / "in",
        scale="tiny",
        boroughs=["sutton"],
        years=1,
        config_dir=tmp_path / "cfg",
        real_data_dir=None,
    )
    mapping = load_borough_mappings(tmp_path / "cfg")[0]
    assert mapping.borough_code == "E09000029"
    assert all(mapping.match(p.name) for p in summary.files)


def test_cli_tiny(tmp_path, capsys):
    rc = fhub_main(
        [
            "demo",
            "--out",
            str(tmp_path),
            "--scale",
            "tiny",
            "--boroughs",
            "merton",
            "--years",
            "1",
            "--no-real-data",
            "--quiet",
        ]
    )
    assert rc == 0
    assert "files for 1 boroughs" in capsys.readouterr().out
    assert any((tmp_path / "merton").glob("MER_EYFSP_2025-26.csv"))


def _gld_from_file(path: Path, spec: FileSpec) -> float:
    _, rows = read_contract_rows(path, spec)
    complete = [r for r in rows if all(r[e] is not None for e in ELG_COLUMNS)]
    return sum(all(r[e] == "expected" for e in GLD_ELGS) for r in complete) / len(complete)


def test_calibration_moves_gld_toward_published_rate(tmp_path, monkeypatch):
    from fhub.settings import Paths
    from fhub_dev.demo.realdata import LAIT_FILE, published_gld_rates

    lait = Paths.from_env().real_data / LAIT_FILE
    if not lait.exists():
        pytest.skip("real LAIT file not available")
    monkeypatch.setenv("FHUB_DATA_DIR", str(tmp_path / "data"))
    real = tmp_path / "real"
    (real / LAIT_FILE.parent).mkdir(parents=True)
    (real / LAIT_FILE).symlink_to(lait)  # LAIT only: synthetic LSOAs keep this test fast
    published = published_gld_rates(real)["Richmond upon Thames"]["2024/25"]
    kwargs = {
        "scale": "demo",
        "boroughs": ["richmond_upon_thames"],
        "years": 2,
        "config_dir": tmp_path / "cfg",
    }
    calibrated = generate(tmp_path / "cal", real_data_dir=real, **kwargs)
    fallback = generate(tmp_path / "fb", real_data_dir=None, **kwargs)
    mapping = load_borough_mappings(tmp_path / "cfg")[0]
    name = mapping.spec_for("eyfsp")
    cal_path = next(p for p in calibrated.files if "2024-25" in p.name and "EYFSP" in p.name)
    fb_path = next(p for p in fallback.files if "2024-25" in p.name and "EYFSP" in p.name)
    cal_rate, fb_rate = _gld_from_file(cal_path, name), _gld_from_file(fb_path, name)
    assert abs(cal_rate - published) < 0.02
    assert abs(cal_rate - published) < abs(fb_rate - published)
    # 2025/26 has no published figure yet: it reuses 2024/25
    assert calibrated.gld["richmond_upon_thames"]["2025/26"][1] == published


def test_family_hubs_seed_covers_all_boroughs():
    hubs = load_family_hubs()
    assert len(hubs) == 33
    for code, rows in hubs.items():
        real = [h for h in rows if not h.is_pseudo]
        assert 3 <= len(real) <= 6, code
        assert {h.hub_id.rsplit("-", 1)[1] for h in rows if h.is_pseudo} == {"OUT", "VIR"}
        assert all(h.lsoa_code.startswith("E01") and len(h.lsoa_code) == 9 for h in real)
        assert len({h.hub_id for h in rows}) == len(rows)


def test_family_hub_lsoas_are_real_lsoas_of_their_borough():
    from fhub.settings import Paths
    from fhub_dev.demo.realdata import IMD_FILE, london_lsoas

    real = Paths.from_env().real_data
    if not (real / IMD_FILE).exists():
        pytest.skip("real IMD file not available")
    lsoas = london_lsoas(real)  # cached under $FHUB_DATA_DIR/cache after the first read
    for code, rows in load_family_hubs().items():
        borough_lsoas = {lsoa for lsoa, _ in lsoas[code]}
        assert all(h.lsoa_code in borough_lsoas for h in rows if not h.is_pseudo), code


def test_national_scale_authorities():
    from fhub_dev.demo.generate import authorities

    auth = authorities("national", None, None)
    assert len(auth) == 150
    assert len({a.slug for a in auth}) == len({a.borough_code for a in auth}) == 150
    assert {a.dialect for a in auth} == {"alpha", "beta", "gamma"}
    assert sum(a.borough_code.startswith("E09") for a in auth) == 33


def test_demo_options_are_defined_once_for_every_scale():
    """``fhub demo`` and ``python -m fhub_dev.demo`` share one option set; its scales are the generator's."""
    from fhub_dev.demo.generate import SCALES
    from fhub_dev.demo.options import SCALE_NAMES

    assert set(SCALE_NAMES) == set(SCALES)

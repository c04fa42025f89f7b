"""The 33 London boroughs as the demo sees them: slug, hub-id prefix and export dialect.

The default demo uses :data:`DEMO_BOROUGHS` (8 boroughs, committed mapping files in ``config/boroughs``).
London scale uses all 33: mapping files for the other 25 are rendered from their dialect's template into a
separate config folder (:func:`write_mapping_configs`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from fhub.settings import Paths
from fhub_dev.demo.dialects import mapping_document

#: ONS code → (slug, hub prefix, dialect)
_BOROUGHS: dict[str, tuple[str, str, str]] = {
    "E09000001": ("city_of_london", "COL", "alpha"),
    "E09000002": ("barking_and_dagenham", "BDG", "beta"),
    "E09000003": ("barnet", "BAR", "gamma"),
    "E09000004": ("bexley", "BEX", "alpha"),
    "E09000005": ("brent", "BRE", "beta"),
    "E09000006": ("bromley", "BRO", "gamma"),
    "E09000007": ("camden", "CAM", "alpha"),
    "E09000008": ("croydon", "CRO", "beta"),
    "E09000009": ("ealing", "EAL", "gamma"),
    "E09000010": ("enfield", "ENF", "alpha"),
    "E09000011": ("greenwich", "GRE", "beta"),
    "E09000012": ("hackney", "HAC", "alpha"),
    "E09000013": ("hammersmith_and_fulham", "HAF", "gamma"),
    "E09000014": ("haringey", "HRY", "alpha"),
    "E09000015": ("harrow", "HRW", "beta"),
    "E09000016": ("havering", "HAV", "gamma"),
    "E09000017": ("hillingdon", "HIL", "alpha"),
    "E09000018": ("hounslow", "HOU", "beta"),
    "E09000019": ("islington", "ISL", "gamma"),
    "E09000020": ("kensington_and_chelsea", "KAC", "alpha"),
    "E09000021": ("kingston_upon_thames", "KIN", "beta"),
    "E09000022": ("lambeth", "LAM", "alpha"),
    "E09000023": ("lewisham", "LEW", "gamma"),
    "E09000024": ("merton", "MER", "beta"),
    "E09000025": ("newham", "NEW", "beta"),
    "E09000026": ("redbridge", "RED", "alpha"),
    "E09000027": ("richmond_upon_thames", "RIC", "gamma"),
    "E09000028": ("southwark", "SWK", "beta"),
    "E09000029": ("sutton", "SUT", "alpha"),
    "E09000030": ("tower_hamlets", "TOW", "beta"),
    "E09000031": ("waltham_forest", "WAL", "gamma"),
    "E09000032": ("wandsworth", "WAN", "beta"),
    "E09000033": ("westminster", "WST", "gamma"),
}

#: The default demo: 8 boroughs covering all three dialects.
DEMO_BOROUGHS: tuple[str, ...] = (
    "hackney",
    "merton",
    "westminster",
    "camden",
    "tower_hamlets",
    "lambeth",
    "newham",
    "barnet",
)
#: Tiny scale: one borough per dialect.
TINY_BOROUGHS: tuple[str, ...] = ("hackney", "merton", "westminster")


@dataclass(frozen=True)
class DemoBorough:
    borough_code: str
    borough_name: str
    slug: str
    prefix: str
    dialect: str
    inner: bool = True


def london_boroughs(boroughs_csv: Path | None = None) -> list[DemoBorough]:
    """All 33 London boroughs in ONS-code order (names from ``seeds/reference/london_boroughs.csv``)."""
    path = boroughs_csv or Paths.from_env().project / "seeds" / "reference" / "london_boroughs.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        slug, prefix, dialect = _BOROUGHS[row["borough_code"]]
        out.append(
            DemoBorough(
                borough_code=row["borough_code"],
                borough_name=row["borough_name"],
                slug=slug,
                prefix=prefix,
                dialect=dialect,
                inner=row.get("inner_outer", "").startswith("Inner"),
            )
        )
    return out


def by_slug() -> dict[str, DemoBorough]:
    return {b.slug: b for b in london_boroughs()}


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: ARG002 - write shared value maps out in full
        return True


_HEADER = """\
# Borough mapping file: how {name}'s family hub and EYFSP exports map onto the landing contract.
# Format: docs/architecture.md ("Borough mapping files"). Dialect '{dialect}' (see fhub_dev/demo/dialects.py).
# Rendered from the dialect template by fhub_dev.demo; it is configuration — edit it when the export changes.
"""


def render_mapping_yaml(borough: DemoBorough) -> str:
    doc = mapping_document(
        borough.borough_code, borough.borough_name, borough.slug, borough.prefix, borough.dialect
    )
    body = yaml.dump(
        doc, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False
    )
    return _HEADER.format(name=borough.borough_name, dialect=borough.dialect) + body


def write_mapping_configs(config_dir: Path, boroughs: list[DemoBorough]) -> list[Path]:
    """Write ``<config_dir>/<slug>.yml`` for each borough (overwriting); returns the paths."""
    config_dir = Path(config_dir)
    config_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for b in boroughs:
        path = config_dir / f"{b.slug}.yml"
        text = render_mapping_yaml(b)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths

"""Family hubs reference data: ``seeds/reference/family_hubs.csv`` (built once, committed) and its reader.

Each borough has 3–6 hubs (``<PREFIX>-01`` …) located in real LSOA 2011 codes of that borough (chosen with a
lean towards more deprived LSOAs, as hubs are), plus two pseudo-hubs used for contacts away from a hub:
``<PREFIX>-OUT`` (outreach) and ``<PREFIX>-VIR`` (virtual), which have no LSOA.

Rebuild the seed (needs the real IMD file)::

    python -m fhub_dev.demo.hubs  # writes seeds/reference/family_hubs.csv
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from fhub.settings import Paths

SEED_COLUMNS = ("hub_id", "hub_name", "borough_code", "lsoa_code", "opened_on")
_AREAS = ("North", "South", "East", "West", "Central", "Riverside")


@dataclass(frozen=True)
class Hub:
    hub_id: str
    hub_name: str
    borough_code: str
    lsoa_code: str
    opened_on: str

    @property
    def is_pseudo(self) -> bool:
        return self.hub_id.endswith(("-OUT", "-VIR"))


def build_family_hubs(lsoas: dict[str, list[tuple[str, int]]], seed: int = 2024) -> list[Hub]:
    """Hubs for every London borough (needs ``{borough_code: [(lsoa, imd_decile)]}`` of real LSOAs)."""
    from fhub_dev.demo.boroughs import london_boroughs

    rng = random.Random(seed)
    hubs: list[Hub] = []
    for b in london_boroughs():
        pool = lsoas[b.borough_code]
        n = rng.randint(3, 6)
        if b.borough_code == "E09000001":  # the City: few resident families
            n = 3
        # lean towards deprived LSOAs: weight 11 - decile
        chosen: list[str] = []
        weights = [11 - dec for _, dec in pool]
        while len(chosen) < min(n, len(pool)):
            lsoa = rng.choices([code for code, _ in pool], weights=weights)[0]
            if lsoa not in chosen:
                chosen.append(lsoa)
        areas = list(_AREAS)
        rng.shuffle(areas)
        for i, lsoa in enumerate(chosen, start=1):
            opened = dt.date(2019, 4, 1) + dt.timedelta(days=rng.randint(0, 880))  # by 2021-09
            hubs.append(
                Hub(
                    hub_id=f"{b.prefix}-{i:02d}",
                    hub_name=f"{b.borough_name} Family Hub {areas[i - 1]}",
                    borough_code=b.borough_code,
                    lsoa_code=lsoa,
                    opened_on=opened.isoformat(),
                )
            )
        hubs.append(Hub(f"{b.prefix}-OUT", f"{b.borough_name} outreach", b.borough_code, "", "2019-04-01"))
        hubs.append(Hub(f"{b.prefix}-VIR", f"{b.borough_name} virtual", b.borough_code, "", "2020-04-01"))
    return hubs


def write_family_hubs(path: Path, hubs: list[Hub]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SEED_COLUMNS)
        for h in hubs:
            w.writerow([h.hub_id, h.hub_name, h.borough_code, h.lsoa_code, h.opened_on])


def load_family_hubs(path: Path | None = None) -> dict[str, list[Hub]]:
    """``{borough_code: [Hub, ...]}`` from the seed (default ``seeds/reference/family_hubs.csv``)."""
    path = path or Paths.from_env().project / "seeds" / "reference" / "family_hubs.csv"
    out: dict[str, list[Hub]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["borough_code"], []).append(Hub(**{k: row[k] for k in SEED_COLUMNS}))
    return out


def main() -> None:  # pragma: no cover - one-off seed build
    from fhub_dev.demo.realdata import london_lsoas

    paths = Paths.from_env()
    lsoas = london_lsoas(paths.real_data)
    if not lsoas:
        raise SystemExit(f"IMD file not found under {paths.real_data}; set FHUB_REAL_DATA_DIR")
    target = paths.project / "seeds" / "reference" / "family_hubs.csv"
    write_family_hubs(target, build_family_hubs(lsoas))
    print(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()

"""Which authorities a scale generates: the tiny and demo boroughs, all 33 London boroughs, or London and up
to 117 other English authorities with synthetic codes (names from LAIT when the real file is present)."""

from __future__ import annotations

import re
from pathlib import Path

from fhub_dev.demo.boroughs import DEMO_BOROUGHS, TINY_BOROUGHS, DemoBorough, london_boroughs
from fhub_dev.demo.dialects import DIALECTS


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _national_authorities(real_data_dir: Path | None) -> list[DemoBorough]:
    london = london_boroughs()
    names: list[tuple[int, str]] = []
    if real_data_dir is not None:
        path = (
            Path(real_data_dir)
            / "dfe-analytical-services__local-authority-interactive-tool"
            / "bds_long_0.parquet"
        )
        if path.exists():
            import pyarrow.compute as pc
            import pyarrow.parquet as pq

            t = pq.read_table(path, columns=["Short Desc", "LA and Regions", "LA Number", "Region"])
            t = t.filter(pc.equal(t["Short Desc"], "FSP_NEW_GOODDEV"))
            seen = set()
            for la, num, region in zip(
                t["LA and Regions"].to_pylist(),
                t["LA Number"].to_pylist(),
                t["Region"].to_pylist(),
                strict=True,
            ):
                try:
                    code = int(float(str(num)))
                except ValueError:
                    continue
                if 330 <= code < 970 and "London" not in str(region) and la not in seen:
                    seen.add(la)
                    names.append((code, str(la)))
    names.sort()
    if not names:
        names = [(400 + i, f"Authority {400 + i}") for i in range(117)]
    out = list(london)
    for i, (code, name) in enumerate(names[:117]):
        out.append(
            DemoBorough(
                borough_code=f"E99{code:06d}",
                borough_name=name,
                slug=_slugify(name),
                prefix=f"N{code:03d}",
                dialect=DIALECTS[i % 3],
                inner=False,
            )
        )
    return out


def authorities(scale: str, boroughs: list[str] | None, real_data_dir: Path | None) -> list[DemoBorough]:
    pool = _national_authorities(real_data_dir) if scale == "national" else london_boroughs()
    by_slug = {b.slug: b for b in pool}
    if boroughs:
        unknown = [s for s in boroughs if s not in by_slug]
        if unknown:
            raise ValueError(
                f"unknown borough slug(s): {', '.join(unknown)}; use e.g. {', '.join(DEMO_BOROUGHS)}"
            )
        return [by_slug[s] for s in boroughs]
    if scale == "tiny":
        return [by_slug[s] for s in TINY_BOROUGHS]
    if scale == "demo":
        return [by_slug[s] for s in DEMO_BOROUGHS]
    return pool

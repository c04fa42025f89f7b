"""``python -m fhub.report --published data/published/warehouse.duckdb --out data/reports/performance``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhub.report.build import build_report
from fhub.settings import Paths


def main(argv: list[str] | None = None) -> int:
    paths = Paths.from_env()
    parser = argparse.ArgumentParser(prog="python -m fhub.report", description=__doc__)
    parser.add_argument("--published", type=Path, default=paths.published_db, help="published DuckDB file (read-only)")
    parser.add_argument("--out", type=Path, default=paths.reports / "performance", help="output folder")
    parser.add_argument("--summary", default=None, help="one-line run summary shown on every page")
    args = parser.parse_args(argv)
    try:
        pages = build_report(args.published, args.out, run_summary=args.summary)
    except (FileNotFoundError, ValueError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    print(f"report: wrote {len(pages)} pages to {args.out} (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m fhub_dev.demo ...`` is ``fhub demo ...`` (the options are defined once, in options.py)."""

from __future__ import annotations

import sys

from fhub.cli import main

if __name__ == "__main__":
    sys.exit(main(["demo", *sys.argv[1:]]))

"""Borough mapping files: ``config/boroughs/<slug>.yml`` → validated :class:`BoroughMapping` objects.

A mapping file says, for one borough, which delivered file names are which extract and period, how to read
them (CSV/XLSX, delimiter, encoding, header row, date format) and how their columns and code values map onto
the landing contract in :mod:`fhub.contracts`. The format is documented in ``docs/architecture.md``
("Borough mapping files").

Everything is checked when the file is loaded; a problem raises :class:`MappingError` naming the YAML file,
the key and what to do about it, so a borough data officer can fix the configuration without reading code.

YAML notes (deliberate, so configuration means what it says):

* keys are always read as their literal text, so ``{Y: true, N: false}``, ``{1: true, 0: false}``,
  ``{Yes: true}`` and ``{01: infant_feeding}`` map the source values ``"Y"``, ``"1"``, ``"Yes"``, ``"01"``;
* only ``true``/``false`` (any case) are booleans — ``yes``/``no``/``on``/``off`` stay text.

Periods in file names are read from the named group ``period`` according to ``period_format``:

=============== ======================================================= ======================
period_format   accepted text in the ``period`` group                    canonical period
=============== ======================================================= ======================
day             ``2024-05-13``, ``2024_05_13``, ``20240513``, ``13-05-2024``  ``2024-05-13``
month           ``2024-05``, ``2024_05``, ``202405``, ``May2024``, ``May-2024`` ``2024-05``
quarter         financial: ``2024-25_Q1``, ``2024_25-Q1``, ``202425Q1``,   ``2024/25 Q1``
                ``2024-2025 Q1``, ``FY2024-25Q1`` (Apr–Jun = Q1)
academic_year   ``2023-24``, ``2023_24``, ``202324``, ``2023-2024``        ``2023/24``
=============== ======================================================= ======================
"""

from fhub.landing.mapping.load import (
    known_borough_codes,
    load_borough_mapping,
    load_borough_mappings,
    parse_borough_mapping,
    read_borough_mappings,
)
from fhub.landing.mapping.periods import PERIOD_FORMATS, PeriodError, parse_period
from fhub.landing.mapping.spec import (
    DEFAULT_PERIOD_TOLERANCE_DAYS,
    DEFAULT_RESUBMISSION_DROP_SHARE,
    EXCEL_SERIAL,
    EXTRA_BOROUGHS_FILE,
    EXTRA_HUBS_FILE,
    FILE_FORMATS,
    FREE_TEXT_POLICIES,
    BoroughMapping,
    FileSpec,
    MappingError,
    sheet_name_regex,
)

__all__ = [
    "DEFAULT_PERIOD_TOLERANCE_DAYS",
    "DEFAULT_RESUBMISSION_DROP_SHARE",
    "EXCEL_SERIAL",
    "EXTRA_BOROUGHS_FILE",
    "EXTRA_HUBS_FILE",
    "FILE_FORMATS",
    "FREE_TEXT_POLICIES",
    "PERIOD_FORMATS",
    "BoroughMapping",
    "FileSpec",
    "MappingError",
    "PeriodError",
    "known_borough_codes",
    "load_borough_mapping",
    "load_borough_mappings",
    "parse_borough_mapping",
    "parse_period",
    "read_borough_mappings",
    "sheet_name_regex",
]

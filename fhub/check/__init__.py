"""The pre-send check for borough data officers: would tonight's landing take these files?

``fhub check --borough <slug> FILE...`` (:func:`check_files`) and ``fhub check-server`` (a local page,
:mod:`fhub.check.server`). Both land the files into a throw-away folder with the nightly's own landing code
and print the receipt it would write; nothing is stored.
"""

from fhub.check.run import CheckError, CheckResult, borough_choices, check_files
from fhub.check.verdict import WOULD_LAND_CLEAN, WOULD_LAND_WITH_PROBLEMS, WOULD_NOT_LAND, file_verdict

__all__ = [
    "WOULD_LAND_CLEAN",
    "WOULD_LAND_WITH_PROBLEMS",
    "WOULD_NOT_LAND",
    "CheckError",
    "CheckResult",
    "borough_choices",
    "check_files",
    "file_verdict",
]

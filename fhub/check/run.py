"""``fhub check``: land files into a throw-away copy of the landing, exactly as tonight's run would, and say
what would happen - without writing anything to the warehouse, the archive, quarantine or receipts.

The files are copied into ``incoming/<borough>/`` of a temporary data folder and landed there by
:func:`fhub.landing.land_all` - the nightly's own entry point, with the real borough mapping files and hub
list (both are read from the project, not the data folder). Archive, quarantine, receipts and the work file
of that run all live inside the temporary folder, which is deleted afterwards, whatever happens.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fhub.check.history import NO_WAREHOUSE, History, copy_history
from fhub.check.verdict import HEADLINES, file_verdict, overall
from fhub.landing import DeliveryOutcome, land_all, open_work_db
from fhub.landing.land import load_mappings
from fhub.privacy.vault import OriginalsKey
from fhub.runinfo import new_run_id
from fhub.settings import LandingTuning, Paths

#: label of the one-off key used when the check does not compare with the warehouse (never stored)
CHECK_KEY_LABEL = "throw-away key (check only)"


class CheckError(ValueError):
    """The check itself cannot run (unknown borough, no file, two files with one name)."""


@dataclass
class CheckedFile:
    position: int
    name: str
    outcome: DeliveryOutcome | None
    code: int
    verdict: str

    @property
    def label(self) -> str:
        """How the summary names the file: its place in the list plus extract and period (never its name)."""
        o = self.outcome
        if o is not None and o.extract_type:
            what = f"{o.extract_type} {o.period}"
        else:
            what = "a repeat" if o is not None and o.status == "skipped" else "extract not known"
        return f"File {self.position} ({what})"


@dataclass
class CheckResult:
    borough_slug: str
    borough_name: str
    borough_code: str
    files: list[CheckedFile]
    history: History
    receipt_markdown: str = ""
    receipt_csv: str = ""
    extra_notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return overall([f.code for f in self.files])

    @property
    def headline(self) -> str:
        return HEADLINES[self.exit_code]

    def summary_lines(self) -> list[str]:
        n = len(self.files)
        lines = [f"Pre-send check for {self.borough_name} ({self.borough_code}): {n} file{'s' if n != 1 else ''}"
                 f" - {self.headline.upper()} (exit code {self.exit_code})", ""]
        lines += [f"  {f.label}: {f.verdict}" for f in self.files]
        lines += ["", "Checked exactly as the nightly landing would (same code, borough mapping and hub list). "
                  + self.history.note, *self.extra_notes,
                  "Nothing was stored: the files were landed into a throw-away work folder that has been deleted."]
        return lines

    def report_text(self) -> str:
        """The summary, then the receipt the nightly would write (Markdown)."""
        text = "\n".join(self.summary_lines()) + "\n"
        if self.receipt_markdown:
            text += "\n" + "-" * 78 + "\nThe receipt the nightly run would write:\n\n" + self.receipt_markdown
        return text


def borough_choices(paths: Paths, config_dir: Path | None = None) -> dict[str, str]:
    """slug → borough name for every borough with a valid mapping file (what the check can be run for)."""
    mappings, _ = load_mappings(Path(config_dir or paths.borough_config))
    return {slug: m.borough_name for slug, m in sorted(mappings.items())}


#: throw-away folders of the check and of the page's uploads (removed after each check)
TEMP_PREFIXES = ("fhub-check-", "fhub-upload-")


def sweep_stale(temp_root: Path | None = None, older_than_seconds: float = 3600) -> int:
    """Remove throw-away folders a killed check left behind (older than an hour: no check runs that long
    on a file the page accepts). Returns how many were removed."""
    root = Path(temp_root or tempfile.gettempdir())
    cutoff = time.time() - older_than_seconds
    removed = 0
    for folder in root.glob("fhub-*"):
        try:
            if (folder.name.startswith(TEMP_PREFIXES) and folder.is_dir() and not folder.is_symlink()
                    and folder.stat().st_mtime < cutoff and folder.stat().st_uid == os.getuid()):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def check_files(paths: Paths, borough_slug: str, files: list[Path], *, mode: str = "demo", history: bool = True,
                config_dir: Path | None = None, hubs_csv: Path | None = None, today: dt.date | None = None,
                temp_root: Path | None = None, env: Mapping[str, str] | None = None) -> CheckResult:
    """Check ``files`` for ``borough_slug`` as tonight's landing would. ``paths`` is the real installation:
    its project (mappings, hub list) is used and its work file is only read (history); nothing under
    ``paths.data`` is written. ``temp_root`` holds the throw-away folder (default: the system's). ``env`` is the
    entry point's environment (``fhub check``, ``fhub check-server``): the pseudonymisation key that matches the
    warehouse's history (``FHUB_HMAC_KEY``) and landing's tuning knobs; None: neither (a demo installation)."""
    config = Path(config_dir or paths.borough_config)
    mappings, broken = load_mappings(config)
    mapping = mappings.get(borough_slug)
    if mapping is None:
        known = ", ".join(sorted(mappings)) or "none"
        if borough_slug in broken:
            raise CheckError(f"The mapping file for '{borough_slug}' is invalid, so nothing can land for it "
                             "tonight either; ask the hub data team to fix it.")
        raise CheckError(f"No borough '{borough_slug}' in the mapping files. Known boroughs: {known}.")
    files = [Path(f) for f in files]
    if not files:
        raise CheckError("Give at least one file to check.")
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise CheckError("Two of the files have the same name; check them one at a time.")
    for i, f in enumerate(files, 1):
        if not f.is_file():
            raise CheckError(f"File {i} of {len(files)} cannot be read (it does not exist or is not a file).")
    sweep_stale(temp_root)
    work = Path(tempfile.mkdtemp(prefix="fhub-check-", dir=temp_root))
    try:
        return _check(paths, work, mapping, files, mode=mode, history=history, config=config,
                      hubs_csv=hubs_csv, today=today, env=env or {})
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check(paths: Paths, work: Path, mapping, files: list[Path], *, mode: str, history: bool, config: Path,
           hubs_csv: Path | None, today: dt.date | None, env: Mapping[str, str]) -> CheckResult:
    sandbox = Paths(project=paths.project, data=work / "data").ensure()
    folder = sandbox.incoming / mapping.slug
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, folder / f.name)  # keeps the modification time: the nightly orders files by it
    key, key_label, found = _key_and_history(paths, sandbox, mapping.borough_code, mode, history, env)
    run_id = "check-" + new_run_id()
    # the sandbox and its (encrypted) originals are thrown away: a one-off key encrypts them
    throwaway = OriginalsKey.from_secret(secrets.token_hex(32), "check")
    result = land_all(sandbox, run_id, key, key_label=key_label, config_dir=config, hubs_csv=hubs_csv,
                      today=today, originals_key=throwaway, tuning=LandingTuning.resolve(env),
                      report_missing=False)  # the sandbox has no history of due deliveries
    by_name = {o.source_file: o for o in result.deliveries}
    checked = []
    for i, f in enumerate(files, 1):
        outcome = by_name.get(f.name)
        code, verdict = file_verdict(outcome)
        checked.append(CheckedFile(i, f.name, outcome, code, verdict))
    md = next((p for p in result.receipts if p.suffix == ".md"), None)
    csv = next((p for p in result.receipts if p.suffix == ".csv"), None)
    return CheckResult(
        borough_slug=mapping.slug, borough_name=mapping.borough_name, borough_code=mapping.borough_code,
        files=checked, history=found,
        receipt_markdown=md.read_text(encoding="utf-8") if md else "",
        receipt_csv=csv.read_text(encoding="utf-8") if csv else "",
    )


def _key_and_history(paths: Paths, sandbox: Paths, borough_code: str, mode: str,
                     history: bool, env: Mapping[str, str]) -> tuple[bytes, str, History]:
    """Compare with the warehouse when asked and possible; then keys must be the warehouse's own (a
    resubmission's records are matched with the delivery they replace). Otherwise a one-off random key."""
    from fhub.pseudonymise import MissingKeyError, resolve_key

    if not history:
        return secrets.token_bytes(32), CHECK_KEY_LABEL, History(False, 0, "Not compared with the "
                                                                 "warehouse's earlier deliveries (--no-history).")
    if not paths.work_db.exists():
        return secrets.token_bytes(32), CHECK_KEY_LABEL, NO_WAREHOUSE
    try:
        key, label = resolve_key(mode, env=env, use_prefect=mode == "production")
    except MissingKeyError:
        return secrets.token_bytes(32), CHECK_KEY_LABEL, History(False, 0, (
            "Not compared with the warehouse's earlier deliveries: the pseudonymisation key is not available "
            "here, so the file was checked as a first delivery."))
    con = open_work_db(sandbox)
    try:
        found = copy_history(con, paths.work_db, borough_code)
    finally:
        con.close()
    if not found.copied:
        return secrets.token_bytes(32), CHECK_KEY_LABEL, found
    return key, label, found

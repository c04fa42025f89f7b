"""Pinned reference downloads (``config/reference/downloads.yml``) and the pins accepted on this machine.

A pin is the size and sha256 of the exact bytes the published figures are computed from. The project's pins
live in the config file (reviewed like code). ``fhub reference fetch --accept-new TABLE`` never edits that file:
it records the accepted hash in ``pins.local.yml`` inside the reference folder, next to the files it describes,
together with the config pin it replaced. A local pin counts only while the config pin is still the one it
replaced; once the project changes its pin, the project's pin wins again (and the local one is reported stale).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from fhub.settings import PROJECT_DIR

DOWNLOADS_FILE = PROJECT_DIR / "config" / "reference" / "downloads.yml"
LOCAL_PINS_NAME = "pins.local.yml"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
ORIGINS = ("publisher", "copy")
VERIFIED = ("snapshot", "no")


@dataclass(frozen=True)
class SourceUrl:
    url: str
    origin: str  # publisher | copy
    verified: str  # snapshot | no
    extract: str | None = None  # ZIP member that is the file


@dataclass(frozen=True)
class Download:
    """One reference file: where it goes, where it comes from, and the bytes it must be."""

    table: str
    path: str  # relative to the reference folder
    publisher: str
    title: str
    release: str
    licence: str
    page: str
    urls: tuple[SourceUrl, ...]
    size: int | None = None
    sha256: str | None = None
    note: str = ""

    @property
    def pinned(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class Pin:
    """The pin in force for one file, and where it came from."""

    sha256: str | None
    size: int | None
    source: str  # config | local | none
    stale_local: dict | None = None  # a local pin the project's pin has since replaced


def load_downloads(path: Path | None = None) -> tuple[Download, ...]:
    """Read and validate the downloads file; a mistake names the entry and the key."""
    path = path or DOWNLOADS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[Download] = []
    seen_tables: set[str] = set()
    seen_paths: set[str] = set()
    for i, entry in enumerate(data.get("files") or []):
        where = f"{path}: files[{i}] ({entry.get('table', '?')})"
        for key in ("table", "path", "publisher", "title", "release", "licence", "page", "urls"):
            if not entry.get(key):
                raise ValueError(f"{where}: missing key '{key}'")
        if entry["table"] in seen_tables or entry["path"] in seen_paths:
            raise ValueError(f"{where}: table or path configured twice")
        seen_tables.add(entry["table"])
        seen_paths.add(entry["path"])
        rel = Path(entry["path"])
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"{where}: path must be relative to the reference folder, without '..'")
        sha, size = entry.get("sha256"), entry.get("size")
        if (sha is None) != (size is None):
            raise ValueError(f"{where}: sha256 and size are pinned together (both set or both null)")
        if sha is not None and not SHA256.match(str(sha)):
            raise ValueError(f"{where}: sha256 must be 64 lower-case hex digits")
        if size is not None and (not isinstance(size, int) or size <= 0):
            raise ValueError(f"{where}: size must be a positive number of bytes")
        urls = []
        for u in entry["urls"]:
            src = SourceUrl(
                url=str(u["url"]),
                origin=str(u.get("origin", "")),
                verified=str(u.get("verified", "")),
                extract=u.get("extract"),
            )
            if not src.url.startswith("https://"):
                raise ValueError(f"{where}: {src.url!r} is not an https URL")
            if src.origin not in ORIGINS or src.verified not in VERIFIED:
                raise ValueError(f"{where}: origin must be one of {ORIGINS}, verified one of {VERIFIED}")
            urls.append(src)
        licence = entry["licence"]
        out.append(
            Download(
                table=entry["table"],
                path=rel.as_posix(),
                publisher=entry["publisher"],
                title=entry["title"],
                release=str(entry["release"]),
                licence=licence["name"] if isinstance(licence, dict) else str(licence),
                page=entry["page"],
                urls=tuple(urls),
                size=size,
                sha256=sha,
                note=" ".join(str(entry.get("note") or "").split()),
            )
        )
    return tuple(out)


# ------------------------------------------------------------------------------------------ local pins
def local_pins_file(reference_dir: Path) -> Path:
    return reference_dir / LOCAL_PINS_NAME


def read_local_pins(reference_dir: Path) -> dict[str, dict]:
    path = local_pins_file(reference_dir)
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of table -> pin; fix or delete the file")
    return data


def effective_pin(download: Download, local: dict[str, dict]) -> Pin:
    """The config pin, unless this machine accepted a new file while the config pin was still what it is."""
    accepted = local.get(download.table)
    if accepted and accepted.get("replaces") == download.sha256:
        return Pin(sha256=accepted["sha256"], size=int(accepted["size"]), source="local")
    source = "config" if download.pinned else "none"
    return Pin(sha256=download.sha256, size=download.size, source=source, stale_local=accepted)


def record_local_pin(
    reference_dir: Path, download: Download, sha256: str, size: int, url: str, now: dt.datetime | None = None
) -> Path:
    """Write (atomically) the accepted pin for one file into ``pins.local.yml``; returns the file."""
    reference_dir.mkdir(parents=True, exist_ok=True)
    pins = read_local_pins(reference_dir)
    pins[download.table] = {
        "sha256": sha256,
        "size": size,
        "url": url,
        "replaces": download.sha256,
        "accepted_at": (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
    }
    path = local_pins_file(reference_dir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    header = (
        "# Reference files accepted on this machine with `fhub reference fetch --accept-new TABLE`.\n"
        "# The project's pins are in config/reference/downloads.yml; a pin here counts only while the\n"
        "# config pin is still the one it `replaces`. Copy sha256/size there to pin it for everyone.\n"
    )
    tmp.write_text(header + yaml.safe_dump(pins, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path


def config_snippet(download: Download, sha256: str, size: int) -> str:
    """The lines to put in config/reference/downloads.yml to make an accepted file the project's pin."""
    return f"  - table: {download.table}\n    size: {size}\n    sha256: {sha256}"

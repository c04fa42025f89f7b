"""When each published figure source was released and when it is next updated (``config/reference/
publications.yml``): the facts the performance-cycle report prints beside a metric's definition and source.

A date is a date only where the publisher's release page or the release recorded in
``config/reference/downloads.yml`` gives the day; otherwise the entry's note says what is known ("not
recorded"), and the report prints that note - never a guessed date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from fhub.reference.pins import load_downloads
from fhub.settings import PROJECT_DIR

PUBLICATIONS_FILE = PROJECT_DIR / "config" / "reference" / "publications.yml"
#: the parts a combined source label is made of (the FSM gap: "<A> (not eligible); <B> (eligible)")
_PART_SUFFIXES = (" (not eligible)", " (eligible)")


@dataclass(frozen=True)
class Publication:
    source: str
    label: str
    tables: tuple[str, ...]
    published_on: dt.date | None
    published_note: str
    next_update: dt.date | None
    next_update_note: str

    @property
    def published_text(self) -> str:
        return _day(self.published_on) if self.published_on else (self.published_note or "not recorded")

    @property
    def next_update_text(self) -> str:
        return _day(self.next_update) if self.next_update else (self.next_update_note or "not recorded")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _date(entry: dict, key: str, where: str) -> dt.date | None:
    value = entry.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {key} must be a date YYYY-MM-DD or null") from None


def load_publications(path: Path | None = None, downloads: Path | None = None) -> tuple[Publication, ...]:
    """Read and check the file: every key present, dates real, sources and labels unique, every table a pinned
    file of downloads.yml, and a note wherever a date is null (so the page says what is known)."""
    path = path or PUBLICATIONS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tables = {d.table for d in load_downloads(downloads)}
    out: list[Publication] = []
    for i, entry in enumerate(data.get("publications") or []):
        where = f"{path}: publications[{i}] ({entry.get('source', '?')})"
        for key in ("source", "label", "tables"):
            if not entry.get(key):
                raise ValueError(f"{where}: missing key '{key}'")
        unknown = [t for t in entry["tables"] if t not in tables]
        if unknown:
            raise ValueError(f"{where}: tables {unknown} are not files of config/reference/downloads.yml")
        pub = Publication(
            source=str(entry["source"]),
            label=str(entry["label"]),
            tables=tuple(entry["tables"]),
            published_on=_date(entry, "published_on", where),
            published_note=str(entry.get("published_note") or ""),
            next_update=_date(entry, "next_update", where),
            next_update_note=str(entry.get("next_update_note") or ""),
        )
        if pub.published_on is None and not pub.published_note:
            raise ValueError(f"{where}: published_on is null, so published_note must say what is known")
        if pub.next_update is None and not pub.next_update_note:
            raise ValueError(f"{where}: next_update is null, so next_update_note must say why")
        if any(p.source == pub.source or p.label == pub.label for p in out):
            raise ValueError(f"{where}: source and label must be unique")
        out.append(pub)
    return tuple(out)


def publications_for(source_label: object, publications: tuple[Publication, ...]) -> list[Publication]:
    """The publications behind a figure's source label (``indicator_values.source``); a combined label (one
    source for FSM-eligible children, another for the rest) gives each of its parts. Borough records, or a
    label no entry names, give none."""
    out: list[Publication] = []
    for part in str(source_label or "").split("; "):
        part = part.strip()
        for suffix in _PART_SUFFIXES:
            if part.endswith(suffix):
                part = part[: -len(suffix)]
        pub = next((p for p in publications if p.label == part), None)
        if pub is not None and pub not in out:
            out.append(pub)
    return out

"""Loading mapping files: YAML read literally, every file of a folder (the one loader), the top level of one
file; each file spec is parsed by :mod:`fhub.landing.mapping.file_spec`."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

from fhub.landing.mapping.file_spec import parse_file_spec
from fhub.landing.mapping.spec import (
    _DELIVERY_ID,
    _REQUIRED_TOP_KEYS,
    _SLUG,
    _TOP_KEYS,
    DEFAULT_RESUBMISSION_DROP_SHARE,
    EXTRA_BOROUGHS_FILE,
    BoroughMapping,
    MappingError,
)
from fhub.landing.mapping.spec import fail as _fail
from fhub.settings import PROJECT_DIR


# --------------------------------------------------------------------------------------------------
# YAML loading: literal keys, only true/false as booleans
# --------------------------------------------------------------------------------------------------
class _MappingLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """SafeLoader with YAML-1.2-style booleans and literal (string) mapping keys."""


_MappingLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MappingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _MappingLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key: Any = key_node.value  # literal text, never int/bool
        else:
            key = loader.construct_object(key_node, deep=deep)
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_MappingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# --------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------
def known_borough_codes(boroughs_csv: Path | None = None) -> set[str]:
    path = boroughs_csv or PROJECT_DIR / "seeds" / "reference" / "london_boroughs.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["borough_code"] for row in csv.DictReader(fh)}


def _extra_codes(config_dir: Path) -> set[str]:
    path = config_dir / EXTRA_BOROUGHS_FILE
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["borough_code"] for row in csv.DictReader(fh)}


def read_borough_mappings(
    config_dir: Path, *, borough_codes: set[str] | None = None, boroughs_csv: Path | None = None
) -> tuple[dict[str, BoroughMapping], dict[str, tuple[Path, MappingError]]]:
    """The one loader of a folder of mapping files: every valid ``*.yml`` by slug, and for every file that
    cannot be used (invalid, or a slug or borough code another file already maps) its path and problem, by
    file stem. One broken file never stops the others (landing); :func:`load_borough_mappings` refuses any.

    ``borough_codes`` overrides the allowed ONS codes (default: ``boroughs_csv``, else
    ``seeds/reference/london_boroughs.csv``, plus any codes in ``<config_dir>/extra_boroughs.csv``)."""
    config_dir = Path(config_dir)
    codes = borough_codes if borough_codes is not None else known_borough_codes(boroughs_csv) | _extra_codes(
        config_dir
    )
    mappings: dict[str, BoroughMapping] = {}
    problems: dict[str, tuple[Path, MappingError]] = {}
    seen_code: dict[str, Path | None] = {}
    for path in sorted(config_dir.glob("*.yml")):
        try:
            m = load_borough_mapping(path, borough_codes=codes)
        except MappingError as exc:
            problems[path.stem] = (path, exc)
            continue
        if m.slug in mappings:
            problems[path.stem] = (path, MappingError(
                f"{m.source_file}: slug {m.slug!r} is also used by {mappings[m.slug].source_file}"))
            continue
        if m.borough_code in seen_code:
            problems[path.stem] = (path, MappingError(
                f"{m.source_file}: borough_code {m.borough_code} is also mapped by {seen_code[m.borough_code]}; "
                "keep one mapping file per borough (list several file specs in it)"))
            continue
        mappings[m.slug] = m
        seen_code[m.borough_code] = m.source_file
    return mappings, problems


def load_borough_mappings(
    config_dir: Path, *, borough_codes: set[str] | None = None, boroughs_csv: Path | None = None
) -> list[BoroughMapping]:
    """Load and validate every ``*.yml`` in ``config_dir`` (``Paths.borough_config``), sorted by slug.

    Raises :class:`MappingError` on the first problem (:func:`read_borough_mappings`), naming the file and
    key. Duplicate slugs or borough codes across files are errors too.
    """
    config_dir = Path(config_dir)
    if not config_dir.is_dir():
        raise MappingError(
            f"{config_dir}: borough mapping folder does not exist; create it or pass --config-dir"
        )
    mappings, problems = read_borough_mappings(config_dir, borough_codes=borough_codes, boroughs_csv=boroughs_csv)
    for _, problem in problems.values():
        raise problem
    return sorted(mappings.values(), key=lambda m: m.slug)


def load_borough_mapping(path: Path, *, borough_codes: set[str] | None = None) -> BoroughMapping:
    """Load and validate one mapping file."""
    path = Path(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_MappingLoader)  # noqa: S506 - SafeLoader
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML ({exc}); fix the syntax at the position shown") from exc
    codes = borough_codes if borough_codes is not None else known_borough_codes() | _extra_codes(path.parent)
    return parse_borough_mapping(doc, path, codes)


def parse_borough_mapping(doc: Any, path: Path, borough_codes: set[str]) -> BoroughMapping:
    if not isinstance(doc, dict):
        raise _fail(
            path, "(top level)", "expected a mapping of keys", "see docs/architecture.md for the format"
        )
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise _fail(
            path,
            ", ".join(sorted(map(str, unknown))),
            "unknown key",
            f"remove it or use one of {', '.join(sorted(_TOP_KEYS))}",
        )
    for key in _REQUIRED_TOP_KEYS:
        if doc.get(key) in (None, "", []):
            raise _fail(path, key, "missing", "add it (see docs/architecture.md, 'Borough mapping files')")
    code = str(doc["borough_code"])
    if code not in borough_codes:
        raise _fail(
            path,
            "borough_code",
            f"{code!r} is not a known borough code",
            "use the ONS code listed in seeds/reference/london_boroughs.csv (e.g. E09000012)",
        )
    slug = str(doc["slug"])
    if not _SLUG.match(slug):
        raise _fail(
            path,
            "slug",
            f"{slug!r} is not a valid folder name",
            "use lower-case letters, digits and underscores (e.g. tower_hamlets)",
        )
    if path.suffix == ".yml" and path.stem != slug:
        raise _fail(
            path,
            "slug",
            f"{slug!r} differs from the file name {path.name!r}",
            f"rename the file to {slug}.yml or change the slug",
        )
    files = doc["files"]
    if not isinstance(files, list):
        raise _fail(
            path, "files", "expected a list of file specs", "write each spec as a '- extract: ...' item"
        )
    specs = [parse_file_spec(item, path, i) for i, item in enumerate(files)]
    confirmed = doc.get("confirm_resubmissions") or []
    if not isinstance(confirmed, list) or not all(
        isinstance(c, str) and _DELIVERY_ID.fullmatch(c.strip().lower()) for c in confirmed
    ):
        raise _fail(
            path,
            "confirm_resubmissions",
            "expected a list of delivery ids",
            "copy each delivery id (or its first 12 or more characters) from the receipt that held the file",
        )
    share = doc.get("resubmission_drop_share", DEFAULT_RESUBMISSION_DROP_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise _fail(
            path,
            "resubmission_drop_share",
            f"{share!r} is not a share between 0 and 1",
            "write e.g. 0.2 (a resubmission dropping more than 20% of the rows is held until confirmed)",
        )
    return BoroughMapping(
        borough_code=code,
        borough_name=str(doc["borough_name"]),
        slug=slug,
        dialect=None if doc.get("dialect") is None else str(doc["dialect"]),
        files=specs,
        source_file=path,
        confirm_resubmissions=tuple(c.strip().lower() for c in confirmed),
        resubmission_drop_share=float(share),
    )

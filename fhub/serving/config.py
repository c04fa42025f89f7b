"""``config/serving.yml``: the serving database's schemas, loader and reader roles (configuration, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: A role or schema name the loader will create: lower-case, starts with a letter or underscore, at most 63.
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_BOROUGH_CODE = re.compile(r"^[EWSN]\d{8}$")
_SETTING = re.compile(r"^[a-z_][a-z0-9_.]*$")


class ServingConfigError(ValueError):
    """``config/serving.yml`` is wrong; the message names the key and what to do."""


@dataclass(frozen=True)
class BoroughRole:
    role: str
    slug: str
    borough_code: str


@dataclass(frozen=True)
class ServingConfig:
    database: str
    mart_schema: str
    restricted_schema: str
    loader: str
    manage_roles: bool
    analyst_role: str
    analyst_description: str
    borough_prefix: str
    borough_source: str | list[dict]  # "mappings" or an explicit list of {slug, borough_code}
    borough_description: str
    reader_settings: dict[str, str] = field(default_factory=dict)
    lock_timeout_ms: int = 500
    give_up_after_s: float = 900.0
    indexes: dict[str, list[list[str]]] = field(default_factory=dict)
    source_file: Path | None = None

    @property
    def incoming_schemas(self) -> tuple[str, str]:
        """Where a load builds the new mart before the swap."""
        return f"{self.mart_schema}__incoming", f"{self.restricted_schema}__incoming"

    @property
    def retired_schemas(self) -> tuple[str, str]:
        """What yesterday's mart is renamed to inside the swap transaction (and dropped there)."""
        return f"{self.mart_schema}__retired", f"{self.restricted_schema}__retired"

    def borough_roles(self, mapping_dir: Path | None = None) -> list[BoroughRole]:
        """One read-only role per borough: from the mapping files (``mappings``) or the explicit list."""
        if self.borough_source == "mappings":
            from fhub.landing.mapping import load_borough_mappings

            pairs = [(m.slug, m.borough_code) for m in load_borough_mappings(mapping_dir)]
        else:
            pairs = [(str(b["slug"]), str(b["borough_code"])) for b in self.borough_source]
        roles: list[BoroughRole] = []
        for slug, code in pairs:
            role = self.borough_prefix + slug.lower().replace("-", "_")
            if not IDENTIFIER.match(role):
                raise ServingConfigError(
                    f"{self._where('borough_roles')}: borough slug of {len(slug)} characters makes role "
                    f"name {role!r}, which is not a valid role name (lower-case letters, digits, _; "
                    "at most 63 characters); shorten the prefix or the slug"
                )
            if not _BOROUGH_CODE.match(code):
                raise ServingConfigError(
                    f"{self._where('borough_roles')}: borough {slug!r} has no valid ONS code; write it as "
                    "E09000012"
                )
            roles.append(BoroughRole(role=role, slug=slug, borough_code=code))
        return sorted(roles, key=lambda r: r.role)

    def _where(self, key: str) -> str:
        return f"{self.source_file or 'serving config'} key {key!r}"


def _require(raw: dict, key: str, source: Path) -> object:
    if key not in raw or raw[key] in (None, ""):
        raise ServingConfigError(
            f"{source}: key {key!r} is missing; see config/serving.yml in the repository"
        )
    return raw[key]


def _identifier(value: object, key: str, source: Path) -> str:
    text = str(value)
    if not IDENTIFIER.match(text):
        raise ServingConfigError(
            f"{source}: {key} {text!r} is not a valid PostgreSQL name (lower-case letters, digits and _, "
            "starting with a letter or _, at most 63 characters)"
        )
    return text


def load_serving_config(path: Path) -> ServingConfig:
    """Read and validate the serving configuration (errors name the file, key and fix)."""
    if not path.is_file():
        raise ServingConfigError(f"{path}: serving configuration not found; copy config/serving.yml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ServingConfigError(f"{path}: expected a mapping of keys at the top level")
    schemas = _require(raw, "schemas", path)
    analyst = _require(raw, "analyst", path)
    boroughs = _require(raw, "borough_roles", path)
    swap = raw.get("swap") or {}
    source = boroughs.get("boroughs", "mappings")
    if source != "mappings" and not (
        isinstance(source, list)
        and all(isinstance(b, dict) and {"slug", "borough_code"} <= set(b) for b in source)
    ):
        raise ServingConfigError(
            f"{path}: borough_roles.boroughs must be `mappings` or a list of {{slug, borough_code}}"
        )
    settings = {str(k): str(v) for k, v in (raw.get("reader_settings") or {}).items()}
    for name in settings:
        if not _SETTING.match(name):
            raise ServingConfigError(f"{path}: reader_settings key {name!r} is not a PostgreSQL setting name")
    indexes: dict[str, list[list[str]]] = {}
    for table, column_lists in (raw.get("indexes") or {}).items():
        indexes[_identifier(table, "indexes table", path)] = [
            [_identifier(c, f"indexes.{table} column", path) for c in columns] for columns in column_lists
        ]
    config = ServingConfig(
        database=_identifier(_require(raw, "database", path), "database", path),
        mart_schema=_identifier(_require(schemas, "mart", path), "schemas.mart", path),
        restricted_schema=_identifier(_require(schemas, "restricted", path), "schemas.restricted", path),
        loader=_identifier(_require(raw, "loader", path), "loader", path),
        manage_roles=bool(raw.get("manage_roles", True)),
        analyst_role=_identifier(_require(analyst, "role", path), "analyst.role", path),
        analyst_description=str(analyst.get("description", "")),
        borough_prefix=str(_require(boroughs, "prefix", path)),
        borough_source=source,
        borough_description=str(boroughs.get("description", "")),
        reader_settings=settings,
        lock_timeout_ms=int(swap.get("lock_timeout_ms", 500)),
        give_up_after_s=float(swap.get("give_up_after_s", 900)),
        indexes=indexes,
        source_file=path,
    )
    if config.mart_schema == config.restricted_schema:
        raise ServingConfigError(f"{path}: schemas.mart and schemas.restricted must differ")
    for name in (*config.incoming_schemas, *config.retired_schemas):
        _identifier(name, "schema (with its __incoming/__retired suffix)", path)
    return config


def default_config_path(project: Path) -> Path:
    return project / "config" / "serving.yml"

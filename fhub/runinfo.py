"""Run identity: run id, code version, mode - and the run context that carries them with the run's settings."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretBytes, SecretStr, model_serializer

from fhub.privacy.vault import OriginalsKey
from fhub.settings import LandingTuning, Paths


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def code_version(project_dir: Path, ignore: tuple[str, ...] = ()) -> str:
    """``git-<short commit>``, ``-dirty`` if tracked files differ from it (files in ``ignore`` do not count).
    The prefix marks it as a machine id: a bare short commit such as ``de3a5db`` has a postcode's shape."""
    try:
        sha = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no", "--", ".",
             *(f":(exclude){name}" for name in ignore)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
        return f"git-{sha}" + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class RunContext(BaseModel):
    """Everything one run needs to know about itself, resolved once at the entry point (the nightly flow, the
    CLI) and handed to subflows, tasks and library functions: where everything is, the run's identity, and
    its keys and settings.

    A subflow's parameters are stored in Prefect's database: there a ``RunContext`` is only its run id, mode,
    code version and key label (:meth:`_stored_form`) - never a key, a DSN or a folder name (a folder can be
    named after a person); ``tests/unit/test_run_context.py``."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    paths: Paths
    run_id: str
    mode: str
    code_version: str
    key_label: str
    hmac_key: SecretBytes = Field(repr=False)
    originals_label: str = "demo"
    originals_secret: SecretStr = Field(default=SecretStr(""), repr=False)
    #: ``FHUB_INCOMING_AFTER_LANDING``: ``remove`` (default) or ``keep`` delivered files once recorded.
    incoming_after: str = "remove"
    #: ``FHUB_ORIGINALS_RETENTION_DAYS``.
    retention_days: int = 400
    #: ``FHUB_POSTGRES_DSN`` and ``FHUB_PG_PASSWORD_<ROLE>``: the serving database (production).
    serving_dsn: SecretStr | None = Field(default=None, repr=False)
    serving_passwords: dict[str, SecretStr] = Field(default_factory=dict, repr=False)
    #: ``FHUB_LANDING_GROUP_BYTES``, ``FHUB_LANDING_PREPARE_THREADS``, ``FHUB_XLSX_FAST_MAX_BYTES``,
    #: ``FHUB_LANDING_RAISE``: landing's tuning knobs.
    landing: LandingTuning = Field(default_factory=LandingTuning)

    @model_serializer(mode="plain")
    def _stored_form(self) -> dict:
        """What leaves the process (Prefect's database): the run's identity only."""
        return {"run_id": self.run_id, "mode": self.mode, "code_version": self.code_version,
                "key_label": self.key_label}

    @property
    def key(self) -> bytes:
        """The pseudonymisation key (HMAC-SHA256)."""
        return self.hmac_key.get_secret_value()

    def originals_key(self) -> OriginalsKey:
        """The key that encrypts originals at rest."""
        return OriginalsKey.from_secret(self.originals_secret.get_secret_value(), self.originals_label)

    def serving_env(self) -> tuple[str | None, dict[str, str]]:
        """``(dsn, passwords by role)`` for :func:`fhub.serving.serve.resolve_target`."""
        dsn = self.serving_dsn.get_secret_value() if self.serving_dsn else None
        return dsn, {role: p.get_secret_value() for role, p in self.serving_passwords.items()}


def resolve_run_context(env: Mapping[str, str], *, paths: Paths, mode: str | None = None,
                        run_id: str | None = None, use_prefect: bool = True) -> RunContext:
    """The run context from an entry point's environment: mode (``FHUB_MODE``, default demo), a new run id,
    the keys (production refuses to start without them: :class:`fhub.pseudonymise.MissingKeyError`), the code
    version and the landing (incl. its tuning knobs), retention and serving settings."""
    from fhub.landing.incoming import ENV_VAR as INCOMING_ENV_VAR
    from fhub.landing.incoming import incoming_policy
    from fhub.privacy.originals import RETENTION_ENV, retention_days
    from fhub.privacy.vault import resolve_originals_secret
    from fhub.pseudonymise import resolve_key
    from fhub.serving.passwords import passwords_from_environment

    mode = mode or env.get("FHUB_MODE", "demo")
    key, key_label = resolve_key(mode, use_prefect=use_prefect, env=env)
    originals_secret, originals_label = resolve_originals_secret(mode, use_prefect=use_prefect, env=env)
    dsn = env.get("FHUB_POSTGRES_DSN") or None
    return RunContext(
        paths=paths,
        run_id=run_id or new_run_id(),
        mode=mode,
        code_version=code_version(paths.project),
        key_label=key_label,
        hmac_key=SecretBytes(key),
        originals_label=originals_label,
        originals_secret=SecretStr(originals_secret),
        incoming_after=incoming_policy(env.get(INCOMING_ENV_VAR)),
        retention_days=retention_days(env.get(RETENTION_ENV)),
        serving_dsn=SecretStr(dsn) if dsn else None,
        serving_passwords={role: SecretStr(p) for role, p in passwords_from_environment(env).items()},
        landing=LandingTuning.resolve(env),
    )

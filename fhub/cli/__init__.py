"""Command line: ``fhub <command>`` (installed by the project; ``make`` targets call it). The one CLI of the
project: each module of this package registers one group of subcommands.

| module | subcommands |
|---|---|
| ``pipeline`` | ``demo``, ``run``, ``land``, ``confirm``, ``report``, ``paths`` |
| ``reference`` | ``reference fetch|status`` |
| ``checks`` | ``check``, ``check-server`` |
| ``serving`` | ``postgres up|down|status|publish|dsn`` |
| ``notify`` | ``notify test|setup`` |
| ``privacy`` | ``archive open``, ``privacy scan``, ``forget`` |
| ``tools`` | ``framework load|export|check``, ``bench`` |

This package is an entry point: it reads the environment and hands ``Paths`` / the run context down.
"""

from __future__ import annotations

import argparse
import sys

from fhub.cli import checks, notify, pipeline, privacy, reference, serving, tools
from fhub.settings import apply_offline_env

GROUPS = (pipeline, reference, serving, checks, notify, privacy, tools)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fhub", description="London family hubs common-outcomes pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_env()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"]:  # the benchmark's own options (incl. --help) pass through untouched
        return tools.bench(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "check":
        try:
            return args.func(args)
        except Exception as exc:  # noqa: BLE001 - exit codes 0-2 are verdicts; a broken check must not look like one
            print(f"fhub check: the check itself could not run ({type(exc).__name__}); nothing was stored.",
                  file=sys.stderr)
            return 3
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

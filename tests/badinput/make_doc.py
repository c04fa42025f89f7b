"""Generate docs/bad-input-catalogue.md from tests/badinput/cases.py (run as a module)."""

from __future__ import annotations

from pathlib import Path

from tests.badinput.cases import CASES

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-input-catalogue.md"
_OUTCOME = {"quarantined": "file quarantined (not landed)", "rejected": "rows rejected, rest landed",
            "warned": "landed with a warning", "landed": "landed"}


def render() -> str:
    lines = ["# Bad-input catalogue", "",
             "Generated from `tests/badinput/cases.py` by `python -m tests.badinput.make_doc`; every row is a "
             "test in `tests/badinput/test_catalogue.py`. The receipt line is what the borough's data officer "
             "reads (it contains the text shown).", "",
             "| case | input | outcome | rows / column | receipt says (excerpt) |", "|---|---|---|---|---|"]
    for c in CASES:
        where = ", ".join(map(str, c.rows)) + (f" / {c.column}" if c.column else "") if c.rows else ""
        lines.append(f"| `{c.id}` | {c.title} | {_OUTCOME[c.outcome]} | {where} | {c.message or '—'} |")
    lines += ["", "Also tested: the same file twice (skipped, nothing changes), a corrected resubmission "
              "(supersedes the earlier delivery, history kept), one borough's bad file not stopping another's."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")

"""Identifier-like substrings in text: find them, scrub them, and describe a value without quoting it.

One definition, used everywhere text from a borough's file may travel: free-text scrubbing at landing, the
substring audit of every artefact a night writes, and the masked *shape* that messages show instead of a value.
Facts behind the patterns: ``shared/domain/identifiers.md``.

Text is first normalised (:func:`normalise_text`): Unicode NFKC (full-width digits and letters become ASCII,
no-break, thin and other spaces become a plain space), dashes become ``-``, invisible format characters
(zero-width space, soft hyphen, ...) are dropped. Then, by kind:

* ``email`` – an e-mail address.
* ``nhs_number`` – any group of exactly 10 digits, written together or split by spaces, dots, hyphens or
  slashes (an NHS number, CHI number, ULN or H&C number; *valid check digit or not*: a typo is still personal
  data), or a number a spreadsheet shows in scientific notation with 10 digits (``9.434765919E+09``).
* ``phone_number`` – a UK phone number: 11 digits starting 0, or +44 / 0044 then 10 digits, in any spacing,
  with brackets.
* ``long_number`` – any other group of 11 or more digits (card numbers, numbers glued together).
* ``upn`` – a Unique Pupil Number shape: a letter, 11 digits, then a digit or a letter (temporary UPN).
* ``ni_number`` – a National Insurance number shape: two letters, six digits (in pairs or not), A–D.
* ``postcode`` – a full UK postcode (outward and inward code, any spacing, any case). An outward code alone
  (``NW1``) is an area, not a person, and is left alone.

A digit group never starts inside a longer run of letters or digits (so hash keys such as 64 hex characters and
GSS codes such as ``E09000012`` do not match) and never starts right after a decimal point (``12.3456789012``).
Dates, academic years, UUIDs and the pipeline's run ids (machine ids) are not identifiers and never match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The tag that replaces each kind when text is scrubbed.
TAGS: dict[str, str] = {
    "email": "[email removed]",
    "nhs_number": "[NHS number removed]",
    "phone_number": "[phone number removed]",
    "long_number": "[number removed]",
    "upn": "[UPN removed]",
    "ni_number": "[NI number removed]",
    "postcode": "[postcode removed]",
}

#: Plain-language names of the kinds, for message templates ("looked like an NHS number").
KIND_NAMES: dict[str, str] = {
    "email": "an e-mail address",
    "nhs_number": "an NHS number (10 digits)",
    "phone_number": "a phone number",
    "long_number": "a long number (11 or more digits)",
    "upn": "a UPN (unique pupil number)",
    "ni_number": "a National Insurance number",
    "postcode": "a full postcode",
}

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# digits separated by single separators (optionally spaced): "943 476 5919", "943.476.5919", "(020) 7946-0000";
# a dot separates only a block of 2-4 digits (a decimal fraction such as 0.123456789012 is not an identifier)
_DIGIT_GROUP = re.compile(
    _NOT_ALNUM_BEFORE + r"(?<![0-9][.,])"
    r"(?:\+|00)?\(?[0-9]+\)?(?:(?: ?[ /-] ?| |\.(?=[0-9]{2,4}(?![0-9]))|(?<=\)))\(?[0-9]+\)?)*"
    + _NOT_ALNUM_AFTER
)
_SCIENTIFIC_10 = re.compile(
    _NOT_ALNUM_BEFORE + r"(?<![0-9.])[1-9](?:\.[0-9]{1,9})?[eE]\+?0?9" + _NOT_ALNUM_AFTER
)
_UPN = re.compile(_NOT_ALNUM_BEFORE + r"[A-Za-z][0-9]{11}[0-9A-Za-z]" + _NOT_ALNUM_AFTER)
_NI = re.compile(
    _NOT_ALNUM_BEFORE + r"[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]" + _NOT_ALNUM_AFTER
)
# The UK postcode format (outward code letters and inward code letters as Royal Mail allocates them)
_POSTCODE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) *[0-9][ABD-HJLNP-UW-Z]{2})"
    + _NOT_ALNUM_AFTER,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IdentifierFinding:
    kind: str  # a key of TAGS
    start: int  # offsets in the *normalised* text
    end: int

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]


def normalise_text(text: str) -> str:
    """NFKC, dashes as ``-``, every kind of space (but line breaks) as a plain space, format characters dropped.
    ASCII text comes back unchanged."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"[^\S\r\n]", " ", text)


def _digit_kind(group: str) -> str | None:
    digits = re.sub(r"[^0-9]", "", group)
    n = len(digits)
    international = group.startswith(("+", "00"))
    if international and digits.startswith(("44", "0044")):
        national = digits[4:] if digits.startswith("0044") else digits[2:]
        if national.startswith("0"):  # +44 (0)20 ...
            national = national[1:]
        if len(national) == 10:
            return "phone_number"
    if n == 11 and digits.startswith("0"):
        return "phone_number"
    if n == 10:
        return "nhs_number"
    if n >= 11:
        return "long_number"
    return None


#: Dates and academic years are not identifiers, but their digits would join a neighbouring digit group
#: ("2024-05-01 - 2024-05-31" is 16 digits): they are blanked (same length, so offsets hold) before grouping.
_DATES = re.compile(
    r"(?<![0-9])(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})|"
    r"[0-9]{4}/[0-9]{2})(?![0-9])"
)


#: Machine ids are not identifiers of people, but parts of them would read as one: UUIDs (run, task and log ids
#: of Prefect, GX store ids) have all-digit segments ("…-1234-5678-9012-…" is 12 digits), and one in 50 of this
#: pipeline's run ids (fhub.runinfo.new_run_id: 20261204T164831Z-e456ab) ends in a postcode shape; so does one
#: in 230 short git commits (``de3a5db`` reads as DE3A 5DB), which is why code versions are written
#: ``git-<commit>[-dirty]`` (fhub.runinfo.code_version). Blanked the same way before matching.
_UUID = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
                   r"|[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}|git-[0-9a-f]{7,40}(?:-dirty)?)(?![0-9A-Za-z])")


def _decimal_number(group: str) -> bool:
    """``1234567.891`` is a number with a decimal fraction, not ``NNN.NNN.NNNN``: a dot joins only short blocks."""
    return "." in group and any(len(block) > 5 for block in re.findall(r"[0-9]+(?=\.)", group))


def _digit_findings(text: str) -> list[IdentifierFinding]:
    found = []
    text = _DATES.sub(lambda m: "_" * len(m.group(0)), text)
    for m in _DIGIT_GROUP.finditer(text):
        group = m.group(0)
        if sum(ch.isdigit() for ch in group) < 10 or _decimal_number(group):
            continue
        kind = _digit_kind(group)
        if kind is None:
            continue
        start, end = m.start(), m.end()
        # a closing bracket with no opening one (and vice versa) is punctuation around the number, not part of it
        while end > start and text[end - 1] == ")" and group.count("(") < group.count(")"):
            end -= 1
            group = group[:-1]
        found.append(IdentifierFinding(kind, start, end))
    return found


def find_identifiers(text: str | None, *, normalised: bool = False) -> list[IdentifierFinding]:
    """Every identifier-like substring of ``text`` (offsets into :func:`normalise_text` of it, unless
    ``normalised`` says the text already is), left to right, no overlaps (an earlier, then longer, match wins)."""
    if not text:
        return []
    if not normalised:
        text = normalise_text(text)
    if "-" in text:  # every machine id has one
        text = _UUID.sub(lambda m: "_" * len(m.group(0)), text)
    found: list[IdentifierFinding] = []
    if "@" in text:
        found += [IdentifierFinding("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    if any(ch.isdigit() for ch in text):
        found += _digit_findings(text)
        found += [IdentifierFinding("nhs_number", m.start(), m.end()) for m in _SCIENTIFIC_10.finditer(text)]
        found += [IdentifierFinding("upn", m.start(), m.end()) for m in _UPN.finditer(text)]
        found += [IdentifierFinding("ni_number", m.start(), m.end()) for m in _NI.finditer(text)]
        found += [IdentifierFinding("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[IdentifierFinding] = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def has_identifier(text: str | None) -> bool:
    return bool(find_identifiers(text))


def scrub(text: str | None) -> tuple[str | None, list[str]]:
    """``(scrubbed text, kinds found)``: the normalised text with every identifier-like substring replaced by its
    tag from :data:`TAGS` (e.g. ``"Call 07700 900123"`` → ``"Call [phone number removed]"``)."""
    if text is None:
        return None, []
    norm = normalise_text(text)
    found = find_identifiers(norm, normalised=True)
    if not found:
        return norm, []
    parts, pos = [], 0
    for f in found:
        parts += [norm[pos : f.start], TAGS[f.kind]]
        pos = f.end
    parts.append(norm[pos:])
    return "".join(parts), [f.kind for f in found]


_SEPARATORS = " ./-:,()+"


def shape(value: object) -> str:
    """A masked description of a value, safe to show in any message: never a character of the value itself.

    ``"9434765919"`` → ``10 digits``; ``"943 476 5919"`` → ``NNN NNN NNNN``; ``"A123456789012"`` → ``letter + 12
    digits``; ``"HUB-0012"`` → ``AAA-NNNN``; ``"31/02/2024"`` → ``NN/NN/NNNN``; ``"Amelia Smith"`` → ``text of 12
    characters``; ``"a@b.org"`` → ``an e-mail address``; ``None`` or blanks → ``empty``.
    """
    if value is None:
        return "empty"
    text = normalise_text(str(value)).strip()
    if not text:
        return "empty"
    n = len(text)
    if text.isdigit() and text.isascii():
        return f"{n} digit{'s' if n != 1 else ''}"
    if "@" in text and _EMAIL.search(text):
        return "an e-mail address"
    if re.fullmatch(r"[A-Za-z][0-9]+", text):
        return f"letter + {n - 1} digit{'s' if n != 2 else ''}"
    has_digit = any(ch.isdigit() for ch in text)
    if has_digit and n <= 24 and all(ch.isascii() and (ch.isalnum() or ch in _SEPARATORS) for ch in text):
        letters = sum(ch.isalpha() for ch in text)
        if letters <= 4:  # codes, dates, numbers: the pattern says more than the length and hides as much
            return "".join("N" if ch.isdigit() else "A" if ch.isalpha() else ch for ch in text)
    return f"text of {n} character{'s' if n != 1 else ''}"

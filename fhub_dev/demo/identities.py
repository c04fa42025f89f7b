"""Ids and raw identifiers as boroughs send them: person, family, contact, referral and assessment ids in each
dialect's format (:class:`IdFormat`), and the synthetic raw identifiers (NHS numbers in the 999 test range, fake
names, ZZ99 pseudo-postcodes) landing must drop (:func:`fake_identifiers`)."""

from __future__ import annotations

import numpy as np

_FIRST = np.array(
    [
        "Amara",
        "Oliver",
        "Aisha",
        "Noah",
        "Fatima",
        "Leo",
        "Zara",
        "Muhammad",
        "Ivy",
        "Theo",
        "Maya",
        "Yusuf",
        "Grace",
        "Kofi",
        "Sofia",
        "Arjun",
        "Chloe",
        "Ibrahim",
        "Ella",
        "Tomasz",
    ],
    dtype=object,
)
_LAST = np.array(
    [
        "Smith",
        "Khan",
        "Okafor",
        "Jones",
        "Begum",
        "Williams",
        "Ahmed",
        "Brown",
        "Mensah",
        "Taylor",
        "Patel",
        "Nowak",
        "Hussain",
        "Davies",
        "Campbell",
        "Ali",
        "Evans",
        "Rahman",
        "Silva",
        "Murphy",
    ],
    dtype=object,
)


def fake_identifiers(
    rng: np.random.Generator, n: int, prefix: str, upn: bool = False
) -> dict[str, np.ndarray]:
    """Synthetic raw identifiers as boroughs send them (NHS numbers in the 999 test range, fake names,
    ZZ99 pseudo-postcodes). Landing must drop them (``Contract.forbidden``)."""
    digits = rng.integers(0, 10_000_000, size=n)
    nhs = np.array([f"999 {d // 10000:03d} {d % 10000:04d}" for d in digits.tolist()], dtype=object)
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
    pc = rng.integers(0, 20, size=(n, 3))
    postcode = np.array([f"ZZ99 {a % 10}{letters[b]}{letters[c]}" for a, b, c in pc.tolist()], dtype=object)
    out = {
        "NHS Number": nhs,
        "First Name": _FIRST[rng.integers(0, _FIRST.size, size=n)],
        "Surname": _LAST[rng.integers(0, _LAST.size, size=n)],
        "Postcode": postcode,
        "Address": np.array(
            [f"{h} Example Road" for h in rng.integers(1, 200, size=n).tolist()], dtype=object
        ),
    }
    if upn:
        out["UPN"] = np.array([f"Z{d:012d}" for d in rng.integers(0, 10**12, size=n).tolist()], dtype=object)
    return out


class IdFormat:
    """How a dialect writes ids (person ids are shared by hub and EYFSP extracts)."""

    def __init__(self, dialect: str):
        self.dialect = dialect

    def persons(self, prefix: str, n: int) -> np.ndarray:
        if self.dialect == "alpha":
            return np.array([f"{prefix}{i:07d}" for i in range(1, n + 1)], dtype=object)
        if self.dialect == "beta":
            return np.array([f"{40000000 + i * 7:08d}" for i in range(1, n + 1)], dtype=object)
        return np.array([f"{prefix}-P{i:07d}" for i in range(1, n + 1)], dtype=object)

    def families(self, prefix: str, n: int) -> np.ndarray:
        if self.dialect == "alpha":
            return np.array([f"F{prefix}{i:06d}" for i in range(1, n + 1)], dtype=object)
        if self.dialect == "beta":
            return np.array([f"FAM-{i:06d}" for i in range(1, n + 1)], dtype=object)
        return np.array([f"{prefix}-F{i:06d}" for i in range(1, n + 1)], dtype=object)

    def contacts(self, prefix: str, offset: int, n: int) -> np.ndarray:
        r = range(offset + 1, offset + n + 1)
        if self.dialect == "alpha":
            return np.array([f"C{i:09d}" for i in r], dtype=object)
        if self.dialect == "beta":
            return np.array([str(1_000_000 + i) for i in r], dtype=object)
        return np.array([f"{prefix}C{i:09d}" for i in r], dtype=object)

    def referrals(self, prefix: str, n: int) -> np.ndarray:
        fmt = {"alpha": "R{:08d}", "beta": "REF{:07d}"}.get(self.dialect, prefix + "R{:08d}")
        return np.array([fmt.format(i) for i in range(1, n + 1)], dtype=object)

    def assessments(self, prefix: str, n: int) -> np.ndarray:
        fmt = {"alpha": "A{:08d}", "beta": "ASM{:07d}"}.get(self.dialect, prefix + "A{:08d}")
        return np.array([fmt.format(i) for i in range(1, n + 1)], dtype=object)

"""Hub activity of a borough's registered people: contacts (services by age and role; hub, outreach or
virtual; direct or commissioned with a partner; did-not-attend) and referrals with their outcomes. A mixin of
:class:`fhub_dev.demo.model.BoroughModel`: the methods draw from the model's generator in the model's order."""

from __future__ import annotations

import numpy as np

from fhub.contracts import DELIVERY_MODEL, REFERRAL_OUTCOME, REFERRAL_TO, SERVICE, VENUE
from fhub_dev.demo.draws import BOOL, cat, choice_rows
from fhub_dev.demo.files import NULL_DAY, Days, Frame

# services by group (order of contracts.SERVICE)
#        IF    PMH   PIR   PAR   ELH   SAP   HVR   SEN   YTH   WMA   DAS   BRG
_SERVICE_P = np.array(
    [
        [0.15, 0.00, 0.15, 0.00, 0.05, 0.35, 0.25, 0.00, 0.00, 0.00, 0.00, 0.05],  # child under 1
        [0.00, 0.00, 0.05, 0.00, 0.25, 0.55, 0.15, 0.00, 0.00, 0.00, 0.00, 0.00],  # child 1-4
        [0.00, 0.00, 0.03, 0.00, 0.22, 0.40, 0.10, 0.25, 0.00, 0.00, 0.00, 0.00],  # child 1-4 with SEND
        [0.20, 0.12, 0.08, 0.18, 0.00, 0.00, 0.00, 0.00, 0.00, 0.22, 0.08, 0.12],  # parent/carer
        [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.05, 0.85, 0.10, 0.00, 0.00],  # young person
    ]
)
_COMMISSIONED_P = np.array([0.3, 0.7, 0.2, 0.4, 0.1, 0.05, 0.0, 0.2, 0.5, 0.6, 0.8, 0.0])
_PARTNERS = (
    ("Breastfeeding Network", "NCT"),
    ("Mind", "PANDAS Foundation"),
    ("Anna Freud", "Home-Start"),
    ("Family Lives", "Home-Start"),
    ("Speech and Language UK", "Home-Start"),
    ("Home-Start", "Local Children's Centre Trust"),
    ("Health visiting service",),
    ("Contact", "Mencap"),
    ("YMCA", "Youth Clubs Trust"),
    ("Citizens Advice", "StepChange"),
    ("Refuge", "Solace Women's Aid"),
    ("Register Office",),
)
_REFERRAL_P = np.array(
    [
        # EH   CSC   PMH   SLT   CAMHS HOU   HV    SEND  DA    WA    OTH
        [0.15, 0.04, 0.00, 0.35, 0.03, 0.00, 0.15, 0.18, 0.00, 0.00, 0.10],  # child
        [0.25, 0.05, 0.12, 0.00, 0.00, 0.12, 0.05, 0.00, 0.08, 0.25, 0.08],  # parent
    ]
)

#: What officers sometimes type into a partner column besides the partner's name (Ofcom drama numbers, the
#: NHS test range, example.org, spacing as people type it): landing must scrub these (issue 13).
_TYPED_DETAILS = (
    " (call 07700 900{n:03d})",
    " - ring 020\u00a07946\u00a00{n:03d}",
    " re child 999.000.{n:04d}",
    " ask for worker{n}@example.org",
    " (NHS 999 {n:03d} 0018)",
    " \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",
)
#: Share of partner names carrying typed contact details in the demo data.
TYPED_DETAILS_RATE = 0.01


def _typed_contact_details(partner: np.ndarray, prefix: str, start: int, offset: int) -> None:
    """Append typed contact details to ~1% of the partner names, from a generator of their own (so the rest
    of the demo data is exactly what it was without them)."""
    import zlib

    rng = np.random.default_rng([zlib.crc32(prefix.encode()), start & 0xFFFFFFFF, offset & 0xFFFFFFFF, 13])
    named = np.flatnonzero(partner != None)  # noqa: E711 - numpy element-wise comparison
    pick = named[rng.random(named.size) < TYPED_DETAILS_RATE]
    for i, k in zip(
        pick.tolist(), rng.integers(0, len(_TYPED_DETAILS), size=pick.size).tolist(), strict=True
    ):
        partner[i] = str(partner[i]) + _TYPED_DETAILS[k].format(n=i % 1000)


class HubActivity:
    """Contacts and referrals of :class:`fhub_dev.demo.model.BoroughModel` (its attributes and ``_registered``)."""

    def contacts(self, start: int, end: int, id_offset: int = 0) -> tuple[Frame, np.ndarray]:
        """Contacts dated ``start``..``end`` (inclusive days), sorted by date."""
        rng, p = self.rng, self.params
        r = self._registered(end)
        a = np.maximum(r["reg"], start)
        b = np.minimum(r["active_end"], end)
        ok = a <= b
        for k in r:
            r[k] = r[k][ok]
        a, b = a[ok], b[ok]
        rate = rng.gamma(1.3, p.contacts_per_year / 1.3, size=a.size) * np.array([0.8, 1.1, 1.0])[r["kind"]]
        n = rng.poisson(rate * (b - a + 1) / 365.25)
        row = np.repeat(np.arange(a.size), n)
        day = a[row] + (rng.random(row.size) * (b - a + 1)[row]).astype(np.int64)
        order = np.argsort(day, kind="stable")
        row, day = row[order], day[order]
        kind = r["kind"][row]
        age = day - r["birth"][row]
        group = np.where(
            kind == 1, 3, np.where(kind == 2, 4, np.where(age < 365, 0, np.where(r["send"][row], 2, 1)))
        )
        service = choice_rows(rng, _SERVICE_P, group)
        venue = choice_rows(rng, np.array([[0.78, 0.14, 0.08]]), np.zeros(row.size, int))
        fam = r["family"][row]
        hubs = np.array(self.hubs, dtype=object)
        home_hub = self.f_hub[fam]
        other = rng.random(row.size) < 0.1
        hub_idx = np.where(other, rng.integers(0, len(self.hubs), size=row.size), home_hub)
        hub = hubs[hub_idx]
        hub[venue == 1] = self.out_hub
        hub[venue == 2] = self.vir_hub
        commissioned = rng.random(row.size) < np.clip(
            _COMMISSIONED_P[service] * self.commissioned_scale, 0, 0.95
        )
        partner = np.full(row.size, None, dtype=object)
        for s in np.unique(service[commissioned]).tolist():
            sel = np.flatnonzero(commissioned & (service == s))
            names = np.array(_PARTNERS[s], dtype=object)
            partner[sel] = names[rng.integers(0, len(names), size=sel.size)]
        _typed_contact_details(partner, self.prefix, start, id_offset)
        dec = self.f_dec[fam]
        dna_p = self.dna_rate * np.where(dec <= 3, 1.2, 0.9) * np.where(venue == 2, 0.6, 1.0)
        attended = (rng.random(row.size) >= dna_p).astype(np.int64)
        frame: Frame = {
            "contact_id": self.ids.contacts(self.prefix, id_offset, row.size),
            "person_id": self.person_ids[r["person"][row]],
            "family_id": self.family_ids[fam],
            "hub_id": hub,
            "venue": cat(venue, VENUE),
            "service_code": cat(service, SERVICE),
            "delivery_model": cat(commissioned.astype(np.int64), DELIVERY_MODEL),
            "partner_name": partner,
            "contact_date": Days(day),
            "attended": cat(attended, BOOL),
        }
        return frame, day

    # ----------------------------------------------------------------------------------------------
    def referrals(self) -> tuple[Frame, np.ndarray]:
        rng, w = self.rng, self.window
        r = self._registered(w.end)
        keep = r["kind"] < 2
        for k in r:
            r[k] = r[k][keep]
        a = np.maximum(r["reg"], w.start)
        b = np.minimum(r["active_end"], w.end)
        ok = a <= b
        for k in r:
            r[k] = r[k][ok]
        a, b = a[ok], b[ok]
        rate = np.where(r["kind"] == 1, 0.3, 0.15)
        n = rng.poisson(rate * (b - a + 1) / 365.25)
        row = np.repeat(np.arange(a.size), n)
        day = a[row] + (rng.random(row.size) * (b - a + 1)[row]).astype(np.int64)
        order = np.argsort(day, kind="stable")
        row, day = row[order], day[order]
        to = choice_rows(rng, _REFERRAL_P, r["kind"][row])
        outcome = choice_rows(rng, np.array([[0.64, 0.1, 0.16, 0.1]]), np.zeros(row.size, int))
        lag = 1 + rng.geometric(1 / 14, size=row.size)
        out_day = day + lag
        late = out_day > w.end
        outcome[late] = 3
        out_day = np.where(outcome == 3, NULL_DAY, out_day)
        fam = r["family"][row]
        frame: Frame = {
            "referral_id": self.ids.referrals(self.prefix, row.size),
            "person_id": self.person_ids[r["person"][row]],
            "family_id": self.family_ids[fam],
            "hub_id": np.array(self.hubs, dtype=object)[self.f_hub[fam]],
            "to_service": cat(to, REFERRAL_TO),
            "referral_date": Days(day),
            "outcome": cat(outcome, REFERRAL_OUTCOME),
            "outcome_date": Days(out_day),
        }
        return frame, day

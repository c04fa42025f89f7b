"""The synthetic population of one borough and the events it produces, in the landing contract's terms.

Everything is vectorised with numpy and drawn from one ``numpy.random.Generator`` seeded from
``(seed, borough code)``, so a borough's data does not depend on which other boroughs are generated.

Model (one borough):

* **Children** are born in every birth cohort from five years before the first academic year up to the last
  one; each has sex, ethnicity group, home LSOA (real LSOAs of the borough with their IMD decile when the
  real file exists), FSM, SEN provision, EAL and a latent development score.
* **Families**: about 30 % of children are younger siblings in an existing family (same home, ethnicity,
  hub); each family has one or two parents/carers; a few young people (13–18) are registered for youth work.
* **Engagement** with a hub is a family-level draw, more likely in deprived LSOAs. Registered families get
  contacts (services by age/role; hub, outreach or virtual; direct or commissioned with a partner;
  did-not-attend about 10–15 %), referrals with outcomes, ASQ-3 at 24–30 months and SWEMWBS for parents
  (baseline, review — improving on average — and sometimes exit).
* **EYFSP**: each child is assessed at the end of Reception, in the academic year in which they turn 5. The
  17 ELG judgements share the child's latent score and an area factor (so they correlate); summer-born,
  boys, FSM, SEN, EAL (C&L and literacy) and deprivation lower the chance of *expected*; hub-engaged
  children are slightly higher (an association, built in). About 2–3 % of children miss one or two
  judgements. The intercept is calibrated per year so the share with a GLD (among complete profiles)
  equals the borough's published rate (or ~68 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from fhub.contracts import (
    ASSESSMENT_STAGE,
    ASSESSMENT_TOOL,
    DELIVERY_MODEL,
    ELG_AREAS,
    ELG_COLUMNS,
    ELG_JUDGEMENT,
    ETHNICITY_GROUP,
    FIRST_LANGUAGE,
    GLD_ELGS,
    REFERRAL_OUTCOME,
    REFERRAL_TO,
    ROLE,
    SEN_PROVISION,
    SERVICE,
    SEX,
    VENUE,
)
from fhub_dev.demo.files import NULL_DAY, Cat, Days, Frame, day_of

BOOL = (False, True)
_ETH_MIX = np.array([0.20, 0.16, 0.10, 0.42, 0.07, 0.05])  # asian black mixed white other unknown
_ELG_DIFFICULTY = np.array(
    [
        -0.55,
        -0.55,
        -0.5,
        -0.8,
        -0.8,
        -1.2,
        -0.65,
        -0.45,
        -0.3,
        0.0,
        -0.45,
        -0.35,
        -0.6,
        -0.6,
        -0.8,
        -0.9,
        -0.9,
    ]
)
_ELG_AREA_INDEX = np.array([sorted(set(ELG_AREAS.values())).index(ELG_AREAS[e]) for e in ELG_COLUMNS])
_GLD_MASK = np.array([e in GLD_ELGS for e in ELG_COLUMNS])
_EAL_ELGS = np.array([ELG_AREAS[e] in ("communication_and_language", "literacy") for e in ELG_COLUMNS])

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
_ASQ_MEAN = np.array([47.0, 52.0, 52.0, 47.0, 49.0])  # communication gross fine problem personal-social
_ASQ_CUTOFF_24 = np.array([25.17, 38.07, 35.16, 29.78, 31.54])


@dataclass(frozen=True)
class Window:
    """Academic years ``first_ay``/``first_ay+1`` … (``2023`` = 2023/24); activity covers them all."""

    first_ay: int
    n_years: int

    @property
    def start(self) -> int:
        return day_of(dt.date(self.first_ay, 9, 1))

    @property
    def end(self) -> int:
        return day_of(dt.date(self.first_ay + self.n_years, 8, 31))

    @property
    def academic_years(self) -> list[int]:
        return [self.first_ay + i for i in range(self.n_years)]


def ay_label(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def _cat(idx: np.ndarray, cats: tuple) -> Cat:
    return Cat(np.asarray(idx, dtype=np.int64), cats)


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
    for i, k in zip(pick.tolist(), rng.integers(0, len(_TYPED_DETAILS), size=pick.size).tolist(), strict=True):
        partner[i] = str(partner[i]) + _TYPED_DETAILS[k].format(n=i % 1000)


def _choice_rows(rng: np.random.Generator, probs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per row, draw a category from ``probs[group[row]]`` (inverse CDF, vectorised)."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(group.shape[0])
    return np.minimum((u[:, None] > cdf[group]).sum(axis=1), probs.shape[1] - 1)


@dataclass
class BoroughParams:
    births_per_year: int
    gld_targets: dict[int, float]  # academic year start -> rate
    engagement: float = 0.38
    contacts_per_year: float = 4.5  # mean per registered person-year


class BoroughModel:
    """Persons of one borough. Person arrays are indexed 0..n-1; children come first."""

    def __init__(
        self,
        rng: np.random.Generator,
        window: Window,
        params: BoroughParams,
        lsoas: list[tuple[str, int]],
        hub_ids: list[str],
        prefix: str,
        ids: IdFormat,
    ):
        self.rng, self.window, self.params, self.prefix, self.ids = rng, window, params, prefix, ids
        self.lsoa_codes = np.array([c for c, _ in lsoas], dtype=object)
        self.lsoa_decile = np.array([d for _, d in lsoas], dtype=np.int64)
        self.hubs = [h for h in hub_ids if not h.endswith(("-OUT", "-VIR"))]
        self.out_hub, self.vir_hub = f"{prefix}-OUT", f"{prefix}-VIR"
        self._build()

    # ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        rng, w, p = self.rng, self.window, self.params
        first_cohort = w.first_ay - 5
        cohorts = list(range(first_cohort, w.first_ay + w.n_years))
        sizes = np.maximum(1, rng.normal(p.births_per_year, p.births_per_year * 0.03, len(cohorts))).astype(
            int
        )
        cohort = np.repeat(np.array(cohorts), sizes)
        n = cohort.size
        start = np.array([day_of(dt.date(int(c), 9, 1)) for c in cohorts])
        length = np.array([day_of(dt.date(int(c) + 1, 9, 1)) for c in cohorts]) - start
        birth = np.repeat(start, sizes) + (rng.random(n) * np.repeat(length, sizes)).astype(np.int64)
        order = np.argsort(birth, kind="stable")
        cohort, birth = cohort[order], birth[order]
        self.n_children = n

        # families: ~30 % are younger siblings of an earlier child born >= 300 days before
        family = np.arange(n)
        sib = rng.random(n) < 0.3
        cand = (rng.random(n) * np.arange(n)).astype(np.int64)
        for i in np.flatnonzero(sib):
            j = cand[i]
            if i > 0 and birth[i] - birth[j] >= 300:
                family[i] = family[j]
        fam_ids, family = np.unique(family, return_inverse=True)
        nf = fam_ids.size

        # family-level attributes
        eth_mix = rng.dirichlet(_ETH_MIX * 60)
        f_eth = rng.choice(len(ETHNICITY_GROUP), size=nf, p=eth_mix)
        n_lsoa = len(self.lsoa_codes)
        f_lsoa = rng.integers(0, n_lsoa, size=nf)
        f_dec = self.lsoa_decile[f_lsoa]
        f_fsm_p = np.clip(0.42 - 0.04 * (f_dec - 1), 0.03, 0.45)
        f_fsm = rng.random(nf) < f_fsm_p
        eal_p = np.array([0.7, 0.45, 0.2, 0.22, 0.75, 0.3])[f_eth]
        f_eal = rng.random(nf) < eal_p
        f_engaged = rng.random(nf) < np.clip(p.engagement + 0.025 * (5.5 - f_dec), 0.05, 0.9)
        f_hub = rng.integers(0, len(self.hubs), size=nf)
        first_birth = np.full(nf, np.iinfo(np.int64).max)
        np.minimum.at(first_birth, family, birth)
        last_birth = np.full(nf, np.iinfo(np.int64).min)
        np.maximum.at(last_birth, family, birth)
        f_reg = first_birth + rng.integers(-150, 3 * 365, size=nf)

        # children
        sex = (rng.random(n) < 0.512).astype(np.int64)  # 0 female, 1 male (index into SEX)
        sen_u = rng.random(n)
        sen = np.where(sen_u < 0.035 + 0.02 * sex, 2, np.where(sen_u < 0.13 + 0.05 * sex, 1, 0))
        z = rng.normal(0, 1, n)
        c_reg = np.maximum(f_reg[family], birth + rng.integers(0, 60, size=n))
        c_registered = f_engaged[family] & (c_reg <= birth + 4 * 365)

        self.child = {
            "cohort": cohort,
            "birth": birth,
            "family": family,
            "sex": sex,
            "sen": sen,
            "z": z,
            "fsm": f_fsm[family],
            "eal": f_eal[family],
            "eth": f_eth[family],
            "lsoa": f_lsoa[family],
            "dec": f_dec[family],
            "reg": c_reg,
            "registered": c_registered,
            "hub": f_hub[family],
        }

        # parents/carers of engaged families; young people
        fams = np.flatnonzero(f_engaged)
        n_par = np.where(rng.random(fams.size) < 0.3, 2, 1)
        par_family = np.repeat(fams, n_par)
        second = np.zeros(par_family.size, dtype=bool)
        second[np.cumsum(n_par)[n_par == 2] - 1] = True
        npar = par_family.size
        par_sex = np.where(
            second, np.where(rng.random(npar) < 0.85, 1, 0), np.where(rng.random(npar) < 0.9, 0, 1)
        )
        par_sex = np.where(rng.random(npar) < 0.01, 3, par_sex)
        par_birth = first_birth[par_family] - rng.integers(19 * 365, 44 * 365, size=npar)
        par_reg = f_reg[par_family] + np.where(second, rng.integers(0, 200, size=npar), 0)
        expectant = par_reg < first_birth[par_family]
        ny = max(1, int(p.births_per_year * 0.04 * w.n_years))
        y_family = rng.integers(0, nf, size=ny)  # a young person from some family's household area
        y_birth = day_of(dt.date(w.first_ay, 9, 1)) - rng.integers(13 * 365, 18 * 365, size=ny)
        y_reg = w.start + rng.integers(-365, w.end - w.start, size=ny)

        self.parent = {
            "family": par_family,
            "sex": par_sex,
            "birth": par_birth,
            "reg": par_reg,
            "expectant": expectant,
            # active while the youngest child is under 5
            "active_end": last_birth[par_family] + 5 * 365,
        }
        self.youth = {"family": y_family, "birth": y_birth, "reg": y_reg}
        self.f_eth, self.f_lsoa, self.f_dec, self.f_hub, self.f_fsm = f_eth, f_lsoa, f_dec, f_hub, f_fsm
        self.f_eal, self.f_engaged, self.first_birth = f_eal, f_engaged, first_birth
        self.nf = nf

        # one person index space: children, parents, young people
        self.n_persons = n + npar + ny
        self.person_ids = self.ids.persons(self.prefix, self.n_persons)
        self.family_ids = self.ids.families(self.prefix, nf)

        # schools for EYFSP: clustered by LSOA
        n_schools = max(3, p.births_per_year // 30)
        self.school_urns = np.array(
            [str(u) for u in rng.choice(np.arange(100000, 150000), n_schools, replace=False)], dtype=object
        )
        self.dna_rate = float(rng.uniform(0.10, 0.15))
        self.commissioned_scale = float(rng.uniform(0.6, 1.4))

    # ----------------------------------------------------------------------------------------------
    # registered persons: index, role, active interval
    # ----------------------------------------------------------------------------------------------
    def _registered(self, until: int) -> dict[str, np.ndarray]:
        c, par, y = self.child, self.parent, self.youth
        n, npar = self.n_children, par["family"].size
        ci = np.flatnonzero(c["registered"] & (c["reg"] <= until))
        pi = np.flatnonzero(par["reg"] <= until)
        yi = np.flatnonzero(y["reg"] <= until)
        person = np.concatenate([ci, n + pi, n + npar + yi])
        kind = np.concatenate([np.zeros(ci.size, int), np.ones(pi.size, int), np.full(yi.size, 2)])
        family = np.concatenate([c["family"][ci], par["family"][pi], y["family"][yi]])
        reg = np.concatenate([c["reg"][ci], par["reg"][pi], y["reg"][yi]])
        active_end = np.concatenate(
            [c["birth"][ci] + 5 * 365 - 30, par["active_end"][pi], y["reg"][yi] + 2 * 365]
        )
        birth = np.concatenate([c["birth"][ci], par["birth"][pi], y["birth"][yi]])
        send = np.concatenate([c["sen"][ci] > 0, np.zeros(pi.size, bool), self.rng.random(yi.size) < 0.1])
        return {
            "person": person,
            "kind": kind,
            "family": family,
            "reg": reg,
            "active_end": active_end,
            "birth": birth,
            "send": send,
            "child_index": np.concatenate([ci, np.full(pi.size + yi.size, -1)]),
            "parent_index": np.concatenate([np.full(ci.size, -1), pi, np.full(yi.size, -1)]),
        }

    # ----------------------------------------------------------------------------------------------
    def register(self) -> tuple[Frame, np.ndarray, dict[str, np.ndarray]]:
        """Register rows (one per registered person), the day each row belongs to, and raw-identifier
        source columns (NHS number, names, postcode, address) some dialects carry."""
        rng, w = self.rng, self.window
        r = self._registered(w.end)
        m = r["person"].size
        c, par = self.child, self.parent
        role = np.where(r["kind"] == 0, 0, np.where(r["kind"] == 2, 1, 2))
        pidx = r["parent_index"]
        is_par = pidx >= 0
        role[is_par] = np.where(par["expectant"][pidx[is_par]], 3, 2)
        sex = np.empty(m, dtype=np.int64)
        cidx = r["child_index"]
        is_child = cidx >= 0
        sex[is_child] = c["sex"][cidx[is_child]]
        sex[is_par] = par["sex"][pidx[is_par]]
        is_y = r["kind"] == 2
        sex[is_y] = (rng.random(is_y.sum()) < 0.5).astype(np.int64)
        fam = r["family"]
        eth = self.f_eth[fam]
        lang = np.where(self.f_eal[fam], 1, 0)
        lang = np.where(rng.random(m) < 0.03, 2, lang)
        send = np.where(is_par, -1, r["send"].astype(np.int64))
        # month of birth: the 1st of the month (the register records month and year only)
        birth_month = _first_of_month(r["birth"])
        consent = (rng.random(m) < 0.92).astype(np.int64)
        hub = np.array(self.hubs, dtype=object)[self.f_hub[fam]]
        frame: Frame = {
            "person_id": self.person_ids[r["person"]],
            "family_id": self.family_ids[fam],
            "role": _cat(role, ROLE),
            "birth_month": Days(birth_month),
            "sex": _cat(sex, SEX),
            "ethnicity_group": _cat(eth, ETHNICITY_GROUP),
            "home_lsoa": self.lsoa_codes[self.f_lsoa[fam]],
            "send_flag": _cat(send, BOOL),
            "first_language": _cat(lang, FIRST_LANGUAGE),
            "registration_date": Days(r["reg"]),
            "hub_id": hub,
            "consent_data_sharing": _cat(consent, BOOL),
        }
        extras = fake_identifiers(rng, m, self.prefix)
        return frame, np.maximum(r["reg"], w.start), extras

    # ----------------------------------------------------------------------------------------------
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
        service = _choice_rows(rng, _SERVICE_P, group)
        venue = _choice_rows(rng, np.array([[0.78, 0.14, 0.08]]), np.zeros(row.size, int))
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
            "venue": _cat(venue, VENUE),
            "service_code": _cat(service, SERVICE),
            "delivery_model": _cat(commissioned.astype(np.int64), DELIVERY_MODEL),
            "partner_name": partner,
            "contact_date": Days(day),
            "attended": _cat(attended, BOOL),
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
        to = _choice_rows(rng, _REFERRAL_P, r["kind"][row])
        outcome = _choice_rows(rng, np.array([[0.64, 0.1, 0.16, 0.1]]), np.zeros(row.size, int))
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
            "to_service": _cat(to, REFERRAL_TO),
            "referral_date": Days(day),
            "outcome": _cat(outcome, REFERRAL_OUTCOME),
            "outcome_date": Days(out_day),
        }
        return frame, day

    # ----------------------------------------------------------------------------------------------
    def assessments(self) -> tuple[Frame, np.ndarray]:
        rng, w = self.rng, self.window
        c, par = self.child, self.parent
        # ASQ-3 at the 2-2½ year review for registered children
        age_m = rng.integers(24, 31, size=self.n_children)
        asq_day = c["birth"] + (age_m * 30.44).astype(np.int64) + rng.integers(0, 20, size=self.n_children)
        has = c["registered"] & (asq_day >= np.maximum(c["reg"], w.start)) & (asq_day <= w.end)
        has &= rng.random(self.n_children) < 0.7
        ci = np.flatnonzero(has)
        k = ci.size
        ability = c["z"][ci][:, None] * 0.8 + rng.normal(0, 0.6, (k, 5))
        ability[:, 0] -= 0.3 * c["eal"][ci] + 0.25 * c["sex"][ci]
        ability -= (c["sen"][ci] > 0)[:, None] * 1.2
        asq = np.clip(np.round((_ASQ_MEAN + 9.0 * ability) / 5) * 5, 0, 60)
        below = (asq < _ASQ_CUTOFF_24).any(axis=1)
        # a review 3-6 months later for some of those below a cutoff
        ri = np.flatnonzero(below & (rng.random(k) < 0.5))
        r_day = asq_day[ci][ri] + rng.integers(90, 180, size=ri.size)
        r_ok = r_day <= w.end
        ri, r_day = ri[r_ok], r_day[r_ok]
        asq_r = np.clip(asq[ri] + np.round(rng.normal(1.2, 1.2, (ri.size, 5))) * 5, 0, 60)

        # SWEMWBS for some parents/carers
        pm = par["family"].size
        base_day = np.maximum(par["reg"], w.start) + rng.integers(0, 120, size=pm)
        has_s = (rng.random(pm) < 0.3) & (base_day <= w.end)
        pi = np.flatnonzero(has_s)
        base = np.clip(np.round(rng.normal(21.5, 4.5, pi.size)), 7, 35)
        rev_day = base_day[pi] + rng.integers(90, 200, size=pi.size)
        has_rev = (rev_day <= w.end) & (rng.random(pi.size) < 0.7)
        rev = np.clip(np.round(base + rng.normal(2.0, 3.0, pi.size)), 7, 35)
        exit_day = rev_day + rng.integers(60, 150, size=pi.size)
        has_exit = has_rev & (exit_day <= w.end) & (rng.random(pi.size) < 0.35)
        ext = np.clip(np.round(rev + rng.normal(0.8, 2.0, pi.size)), 7, 35)

        n = self.n_children
        parts = [
            # person index, tool, stage, day, age_months, asq (5), swemwbs
            (ci, 0, 0, asq_day[ci], age_m[ci].astype(float), asq, np.nan),
            (ci[ri], 0, 1, r_day, np.round((r_day - c["birth"][ci[ri]]) / 30.44), asq_r, np.nan),
            (n + pi, 1, 0, base_day[pi], np.nan, None, base),
            (n + pi[has_rev], 1, 1, rev_day[has_rev], np.nan, None, rev[has_rev]),
            (n + pi[has_exit], 1, 2, exit_day[has_exit], np.nan, None, ext[has_exit]),
        ]
        person = np.concatenate([p_[0] for p_ in parts])
        tool = np.concatenate([np.full(p_[0].size, p_[1]) for p_ in parts])
        stage = np.concatenate([np.full(p_[0].size, p_[2]) for p_ in parts])
        day = np.concatenate([p_[3] for p_ in parts])
        age = np.concatenate([np.broadcast_to(np.asarray(p_[4], float), p_[0].shape) for p_ in parts])
        scores = np.concatenate(
            [p_[5] if p_[5] is not None else np.full((p_[0].size, 5), np.nan) for p_ in parts]
        )
        swem = np.concatenate([np.broadcast_to(np.asarray(p_[6], float), p_[0].shape) for p_ in parts])
        order = np.argsort(day, kind="stable")
        person, tool, stage, day, age, scores, swem = (
            person[order],
            tool[order],
            stage[order],
            day[order],
            age[order],
            scores[order],
            swem[order],
        )
        fam = np.where(
            person < n, c["family"][np.minimum(person, n - 1)], par["family"][np.maximum(person - n, 0)]
        )
        frame: Frame = {
            "assessment_id": self.ids.assessments(self.prefix, person.size),
            "person_id": self.person_ids[person],
            "hub_id": np.array(self.hubs, dtype=object)[self.f_hub[fam]],
            "tool": _cat(tool, ASSESSMENT_TOOL),
            "stage": _cat(stage, ASSESSMENT_STAGE),
            "assessment_date": Days(day),
            "age_months": age,
            "asq_communication": scores[:, 0],
            "asq_gross_motor": scores[:, 1],
            "asq_fine_motor": scores[:, 2],
            "asq_problem_solving": scores[:, 3],
            "asq_personal_social": scores[:, 4],
            "swemwbs_raw_total": swem,
        }
        return frame, day

    # ----------------------------------------------------------------------------------------------
    def eyfsp(self, ay: int) -> tuple[Frame, dict[str, np.ndarray], float]:
        """EYFSP rows of the Reception cohort of academic year ``ay``, raw-identifier extras and the
        GLD rate achieved (complete profiles)."""
        rng, c = self.rng, self.child
        ci = np.flatnonzero(c["cohort"] == ay - 5)
        k = ci.size
        month = _month_number(c["birth"][ci])
        term = np.where(np.isin(month, (9, 10, 11, 12)), 0, np.where(np.isin(month, (1, 2, 3, 4)), 1, 2))
        sen = c["sen"][ci]
        eal = c["eal"][ci]
        mu = (
            0.9 * c["z"][ci]
            - np.array([0.0, 0.24, 0.5])[term]
            - 0.38 * c["sex"][ci]
            - 0.55 * c["fsm"][ci]
            - np.array([0.0, 1.15, 2.3])[sen]
            + 0.045 * (c["dec"][ci] - 5.5)
            + 0.15 * (c["registered"][ci] & (c["reg"][ci] < c["birth"][ci] + 4 * 365))
        )
        area = rng.normal(0, 1, (k, 7))[:, _ELG_AREA_INDEX]
        noise = rng.normal(0, 1, (k, 17))
        score = mu[:, None] + 0.55 * area + 0.45 * noise - _ELG_DIFFICULTY - 0.3 * eal[:, None] * _EAL_ELGS
        missing = np.zeros((k, 17), dtype=bool)
        miss_rows = np.flatnonzero(rng.random(k) < 0.025)
        missing[miss_rows, rng.integers(0, 17, size=miss_rows.size)] = True
        extra = miss_rows[rng.random(miss_rows.size) < 0.3]
        missing[extra, rng.integers(0, 17, size=extra.size)] = True
        complete = ~missing.any(axis=1)
        target = self.params.gld_targets.get(ay, 0.68)
        gld_min = score[:, _GLD_MASK].min(axis=1)[complete]
        # intercept a with mean(gld_min + a > 0) == target: the (1 - target) quantile of -gld_min
        a = float(-np.quantile(gld_min, 1 - target)) if gld_min.size else 0.0
        expected = (score + a) > 0
        gld_rate = (
            float(expected[complete][:, _GLD_MASK].all(axis=1).mean()) if complete.any() else float("nan")
        )
        judgement = np.where(missing, -1, expected.astype(np.int64))
        n_schools = self.school_urns.size
        n_lsoa = len(self.lsoa_codes)
        school = np.clip(
            (c["lsoa"][ci] * n_schools) // max(1, n_lsoa) + rng.integers(-1, 2, size=k), 0, n_schools - 1
        )
        lang = np.where(eal, 1, 0)
        lang = np.where(rng.random(k) < 0.01, 2, lang)
        frame: Frame = {
            "pupil_id": self.person_ids[ci],
            "academic_year": np.full(k, ay_label(ay), dtype=object),
            "school_urn": self.school_urns[school],
            "sex": _cat(c["sex"][ci], SEX),
            "birth_month": Days(_first_of_month(c["birth"][ci])),
            "fsm": _cat(c["fsm"][ci].astype(np.int64), BOOL),
            "sen_provision": _cat(sen, SEN_PROVISION),
            "first_language": _cat(lang, FIRST_LANGUAGE),
            "ethnicity_group": _cat(c["eth"][ci], ETHNICITY_GROUP),
            "home_lsoa": self.lsoa_codes[c["lsoa"][ci]],
        }
        for j, elg in enumerate(ELG_COLUMNS):
            frame[elg] = _cat(judgement[:, j], ELG_JUDGEMENT)
        extras = fake_identifiers(rng, k, self.prefix, upn=True)
        return frame, extras, gld_rate


# --------------------------------------------------------------------------------------------------
def _first_of_month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _month_number(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


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

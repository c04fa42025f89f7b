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

The events are drawn by the mixins ``activity.HubActivity`` (contacts, referrals) and ``measures.Measures``
(assessments, EYFSP); ids and raw identifiers come from ``identities``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from fhub.contracts import ETHNICITY_GROUP, FIRST_LANGUAGE, ROLE, SEX
from fhub_dev.demo.activity import HubActivity
from fhub_dev.demo.draws import BOOL, ay_label, cat, first_of_month
from fhub_dev.demo.files import Days, Frame, day_of
from fhub_dev.demo.identities import IdFormat, fake_identifiers
from fhub_dev.demo.measures import Measures

__all__ = ["BoroughModel", "BoroughParams", "IdFormat", "Window", "ay_label"]

_ETH_MIX = np.array([0.20, 0.16, 0.10, 0.42, 0.07, 0.05])  # asian black mixed white other unknown


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


@dataclass
class BoroughParams:
    births_per_year: int
    gld_targets: dict[int, float]  # academic year start -> rate
    engagement: float = 0.38
    contacts_per_year: float = 4.5  # mean per registered person-year


class BoroughModel(HubActivity, Measures):
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
        birth_month = first_of_month(r["birth"])
        consent = (rng.random(m) < 0.92).astype(np.int64)
        hub = np.array(self.hubs, dtype=object)[self.f_hub[fam]]
        frame: Frame = {
            "person_id": self.person_ids[r["person"]],
            "family_id": self.family_ids[fam],
            "role": cat(role, ROLE),
            "birth_month": Days(birth_month),
            "sex": cat(sex, SEX),
            "ethnicity_group": cat(eth, ETHNICITY_GROUP),
            "home_lsoa": self.lsoa_codes[self.f_lsoa[fam]],
            "send_flag": cat(send, BOOL),
            "first_language": cat(lang, FIRST_LANGUAGE),
            "registration_date": Days(r["reg"]),
            "hub_id": hub,
            "consent_data_sharing": cat(consent, BOOL),
        }
        extras = fake_identifiers(rng, m, self.prefix)
        return frame, np.maximum(r["reg"], w.start), extras

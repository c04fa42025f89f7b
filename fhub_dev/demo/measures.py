"""Assessments and EYFSP results of a borough's people: ASQ-3 at the 2-2½ year review (and a review for
some below a cutoff), SWEMWBS for parents/carers (baseline, review, exit), and the Reception cohort's 17 ELG
judgements calibrated to the borough's GLD rate. A mixin of :class:`fhub_dev.demo.model.BoroughModel`: the
methods draw from the model's generator in the model's order."""

from __future__ import annotations

import numpy as np

from fhub.contracts import (
    ASSESSMENT_STAGE,
    ASSESSMENT_TOOL,
    ELG_AREAS,
    ELG_COLUMNS,
    ELG_JUDGEMENT,
    ETHNICITY_GROUP,
    FIRST_LANGUAGE,
    GLD_ELGS,
    SEN_PROVISION,
    SEX,
)
from fhub_dev.demo.draws import BOOL, ay_label, cat, first_of_month, month_number
from fhub_dev.demo.files import Days, Frame
from fhub_dev.demo.identities import fake_identifiers

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
_ASQ_MEAN = np.array([47.0, 52.0, 52.0, 47.0, 49.0])  # communication gross fine problem personal-social
_ASQ_CUTOFF_24 = np.array([25.17, 38.07, 35.16, 29.78, 31.54])


class Measures:
    """Assessments and EYFSP of :class:`fhub_dev.demo.model.BoroughModel` (its attributes)."""

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
            "tool": cat(tool, ASSESSMENT_TOOL),
            "stage": cat(stage, ASSESSMENT_STAGE),
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
        month = month_number(c["birth"][ci])
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
            "sex": cat(c["sex"][ci], SEX),
            "birth_month": Days(first_of_month(c["birth"][ci])),
            "fsm": cat(c["fsm"][ci].astype(np.int64), BOOL),
            "sen_provision": cat(sen, SEN_PROVISION),
            "first_language": cat(lang, FIRST_LANGUAGE),
            "ethnicity_group": cat(c["eth"][ci], ETHNICITY_GROUP),
            "home_lsoa": self.lsoa_codes[c["lsoa"][ci]],
        }
        for j, elg in enumerate(ELG_COLUMNS):
            frame[elg] = cat(judgement[:, j], ELG_JUDGEMENT)
        extras = fake_identifiers(rng, k, self.prefix, upn=True)
        return frame, extras, gld_rate

"""Three borough export dialects, as mapping-file templates.

Each dialect imitates a different case-management export. A borough's mapping file
(``config/boroughs/<slug>.yml``) is rendered from its dialect's template; the generator then writes files in
that dialect by *inverting* the mapping (contract column → source header, contract value → source value).

=========  ==========================================  ==============================================
dialect    files                                       code values / quirks
=========  ==========================================  ==============================================
alpha      CSV comma, UTF-8, dates ``%d/%m/%Y``;       Y/N flags, M/F sex, short service codes (IF,
           monthly activity files                       PMH…), ELGs ``ELG01``..``ELG17`` scored 1/2,
           ``<slug>_<extract>_2024-05.csv``;            school-census ethnicity codes (WBRI…).
           EYFSP ``<slug>_eyfsp_2023-24.csv``           **Raw identifiers:** register carries
                                                        ``NHS Number``, ``First Name``, ``Surname``,
                                                        ``Postcode`` (unmapped → landing drops them).
beta       CSV semicolon, UTF-8 with BOM, ISO dates;    snake_case headers, Male/Female, Yes/No,
           **quarterly** activity files                 Attended/DNA, service names in words, ELG
           ``<PFX>_FH_<extract>_2024-25_Q1.csv``;       headers in words, Emerging/Expected.
           EYFSP ``<PFX>_EYFSP_2023-24.csv``            **Raw identifiers:** EYFSP carries ``UPN``,
                                                        ``First Name``, ``Surname``.
gamma      XLSX with a 2-row title block (header on     numeric codes: sex 1/2/9, attended 1/0,
           row 3), Excel serial dates; monthly          services 01..12, stages 1/2/3; ELGs ``EM``/
           ``<PFX>_FamilyHubs_<Extract>_May2024.xlsx``;  ``EX``. **Raw identifiers:** register carries
           contacts as pipe-delimited text (the big     ``NHS Number`` and ``Address``.
           file) ``…_Contacts_May2024.txt``, ``%d-%m-%Y``
=========  ==========================================  ==============================================

Every dialect also has a *daily* contacts spec (period = day) for nightly top-up deliveries
(:func:`fhub_dev.demo.generate_day`).

One module per dialect (``alpha``, ``beta``, ``gamma``: its mapping-file template); their value vocabularies
in ``vocabulary``.
"""

from __future__ import annotations

from typing import Any

from fhub_dev.demo.dialects import alpha, beta, gamma

DIALECTS = ("alpha", "beta", "gamma")

_TEMPLATES = {"alpha": alpha.mapping_template, "beta": beta.mapping_template, "gamma": gamma.mapping_template}

#: Source headers each dialect sends that are raw identifiers, not mapped on purpose: landing's
#: forbidden-column rule drops them (with a receipt warning). extract → headers.
RAW_IDENTIFIER_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "alpha": {"register": ("NHS Number", "First Name", "Surname", "Postcode")},
    "beta": {"eyfsp": ("UPN", "First Name", "Surname")},
    "gamma": {"register": ("NHS Number", "Address")},
}
#: Extra (harmless) source columns each dialect sends, declared in ignore_columns.
EXTRA_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "alpha": {"register": ("Notes",), "eyfsp": ("SchoolName",)},
    "beta": {},
    "gamma": {},
}


#: Contract columns every dialect declares as free text (scrubbed at landing).
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {"contacts": ("partner_name",)}


def mapping_document(
    borough_code: str, borough_name: str, slug: str, prefix: str, dialect: str
) -> dict[str, Any]:
    """The mapping-file document (as a dict ready for YAML) of a borough exporting in ``dialect``."""
    if dialect not in _TEMPLATES:
        raise ValueError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    files = _TEMPLATES[dialect](slug, prefix)
    for spec in files:
        # people type free text into these columns (a partner's name, sometimes with a phone number or an
        # e-mail address): landing replaces anything identifier-like by a tag (docs/architecture.md)
        free = {c: "scrub" for c in FREE_TEXT_COLUMNS.get(spec["extract"], ()) if c in spec["columns"]}
        if free:
            spec["free_text"] = free
    return {
        "borough_code": borough_code,
        "borough_name": borough_name,
        "slug": slug,
        "dialect": dialect,
        "files": files,
    }

"""Build the static performance-cycle report from the PUBLISHED file only (opened read-only).

``build_report(published_db, out_dir, run_summary=None) -> list[Path]`` writes ``index.html`` (London
overview), ``borough-<code>.html`` per borough, and ``data/*.csv|xlsx`` (one pair per table). Pages embed
everything (inline CSS and SVG); nothing is fetched from the network.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from fhub.reference.publications import Publication, load_publications
from fhub.report.availability import availability_section
from fhub.report.changes import changes_section
from fhub.report.data import LONDON_CODE, ReportData, load
from fhub.report.definitions import definitions_section
from fhub.report.dq_section import _overall_scores, dq_section, problems_of
from fhub.report.funnel import funnel_section
from fhub.report.gld import gld_headline, gld_section, gld_summary
from fhub.report.labels import _fmt
from fhub.report.london_page import london_sections
from fhub.report.pdf import pdf_name
from fhub.report.scorecard import scorecard_section
from fhub.report.tables import Table, write_downloads


# ------------------------------------------------------------------------------------- pages
def css_string(value: object) -> Markup:
    """Text for a CSS string inside <style> (the print running header): quotes and backslashes escaped,
    angle brackets and line breaks dropped (HTML escaping does not apply inside <style>)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return Markup("".join(ch for ch in text if ch not in "<>\r\n"))  # noqa: S704 - escaped for CSS above


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def _docs_links(out_dir: Path) -> list[tuple[str, str, bool]]:
    links = []
    for label, folder in (("Great Expectations Data Docs", "data-docs"), ("dbt docs", "dbt-docs")):
        target = out_dir.parent / folder / "index.html"
        links.append((label, os.path.relpath(target, out_dir), target.exists()))
    return links


def _published_note(run_summary: object) -> str | None:
    """A one-line warning when tonight's run did not publish (the pages show the last published run's id
    only, so a page never carries two run ids)."""
    text = run_summary if isinstance(run_summary, str) else ""
    if isinstance(run_summary, dict) and run_summary.get("published") is False:
        text = "published: NO"
    if "published: NO" in text:
        return ("Tonight's run did not publish (see the run summary): the figures below are from the last "
                "published run.")
    return None


def _cycle(data: ReportData) -> str | None:
    cycles = [str(c.get("cycle")) for c in data.checks if c.get("cycle")] + [
        str(r.get("cycle")) for r in data.scorecard if r.get("cycle")]
    return max(cycles) if cycles else None


def build_report(published_db: Path, out_dir: Path, run_summary: object = None,
                 publications: tuple[Publication, ...] | None = None) -> list[Path]:
    """Write the London overview and one page per borough into ``out_dir``; return the HTML paths
    (London first). PDFs are printed separately (:func:`fhub.report.pdf.print_pdfs`). ``publications``: the
    release dates of the published sources (default: the project's ``config/reference/publications.yml``)."""
    data = load(Path(published_db))
    publications = load_publications() if publications is None else publications
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    downloads = out_dir / "data"
    downloads.mkdir(exist_ok=True)
    env = _env()
    generated = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    common = {"run_id": data.run_id or "unknown", "generated": generated, "docs_links": _docs_links(out_dir),
              "published_note": _published_note(run_summary), "cycle": _cycle(data) or "no cycle yet",
              "boroughs": sorted(data.boroughs.items(), key=lambda kv: kv[1]), "fmt": _fmt}
    pages: list[Path] = []

    overview_rows = []
    borough_pages = []
    for code, name in common["boroughs"]:
        prefix = f"borough-{code}"
        gld = gld_summary(data, code)
        official, provisional = gld_headline(data, code)
        scorecard, weakest, grid = scorecard_section(data, code, name, prefix, downloads)
        sections = [changes_section(data, code, name, prefix, downloads),
                    dq_section(data, code, name, prefix, downloads),
                    gld_section(data, code, name, prefix, downloads), scorecard,
                    definitions_section(data, code, name, prefix, downloads, publications),
                    funnel_section(data, code, name, prefix, downloads),
                    availability_section(data, code, name, prefix, downloads)]
        problems = problems_of(data, code)
        overall = _overall_scores(data, code)
        withheld = sum(int(w.get("rows_withheld") or 0) for w in data.withholdings if w.get("borough_code") == code)
        path = out_dir / f"{prefix}.html"
        path.write_text(env.get_template("borough.html.j2").render(
            **common, title=f"{name}: family hubs performance report", name=name, code=code, gld=gld,
            official=official, provisional=provisional, grid=grid, pdf=pdf_name(path),
            running=f"{name} · cycle {common['cycle']} · run {common['run_id']}",
            weakest=weakest, problems=problems, sections=sections, withheld=withheld,
            dq_overall=overall[-1] if overall else None), encoding="utf-8")
        borough_pages.append(path)
        overview_rows.append([name, f"{gld.latest_year} p" if gld.latest_year and gld.provisional else (gld.latest_year or "x"), gld.latest_value if gld.latest_value is not None else (gld.symbol or "x"),
                              gld.target, gld.gap if gld.gap is not None else "x", gld.verdict,
                              weakest[0] if weakest else "x",
                              overall[-1]["score"] if overall else "x", len(problems), withheld, f"{prefix}.html"])
    london = "London"
    prefix = "london"
    overview = Table("Boroughs at a glance", ["Borough", "Latest GLD year", "GLD %", "Target %", "Gap (points)",
                                              "Verdict", "Weakest domain", "DQ score (latest cycle)",
                                              "Open data problems", "Values withheld", "Page"],
                     overview_rows, slug="boroughs", numeric={2, 3, 4, 7, 8, 9})
    write_downloads(overview, downloads, prefix)
    sections = [*london_sections(data, prefix, downloads),
                gld_section(data, LONDON_CODE, london, prefix, downloads),
                changes_section(data, None, london, prefix, downloads),
                availability_section(data, None, london, prefix, downloads),
                dq_section(data, None, london, prefix, downloads)]
    index = out_dir / "index.html"
    official, provisional = gld_headline(data, LONDON_CODE)
    index.write_text(env.get_template("index.html.j2").render(
        **common, title="London family hubs: performance-cycle report", name="London", overview=overview,
        sections=sections, london_gld=gld_summary(data, LONDON_CODE), official=official, provisional=provisional,
        pdf=pdf_name(index), running=f"London · cycle {common['cycle']} · run {common['run_id']}"),
        encoding="utf-8")
    pages.append(index)
    pages.extend(borough_pages)
    return pages

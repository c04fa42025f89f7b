"""A report section: heading, short intro, one chart (inline SVG) and the tables behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

from fhub.report.tables import KEY_MEANINGS, Table


@dataclass
class Section:
    id: str
    heading: str
    intro: str = ""
    svg: str = ""
    figcaption: str = ""
    tables: list[Table] = field(default_factory=list)
    html: str = ""  # extra trusted markup (built in Python from escaped pieces)
    keys: list[str] = field(default_factory=list)  # symbols the chart itself uses (its key sits beside it)
    lead: list[Table] = field(default_factory=list)  # tables shown open, before the chart
    collapsed: str = ""  # summary text: the tables sit in a <details> on screen (printed open)
    print_open: bool = True  # False: the collapsed tables print as a one-line pointer (they are long)

    @property
    def chart_symbols(self) -> list[tuple[str, str]]:
        return [(k, KEY_MEANINGS[k]) for k in self.keys if k in KEY_MEANINGS]

"""The check's receipt as HTML for the local page: landing's Markdown receipt rendered without raw HTML
(every cell is escaped), headings moved one level down under the page's own heading, wide tables in a
scrollable, keyboard-reachable region."""

from __future__ import annotations

import base64

from markdown_it import MarkdownIt

from fhub.landing.receipt_view import receipt_markdown


def _md() -> MarkdownIt:
    md = receipt_markdown()  # landing's receipt renderer: no raw HTML, no links, tables in a scrollable region

    def heading(renderer, tokens, idx, options, env):
        token = tokens[idx]
        token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"  # receipt h1 -> h3 under the page's h2
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    return md


def receipt_html(markdown: str) -> str:
    return _md().render(markdown)


def data_uri(text: str, media_type: str) -> str:
    """A download link's target that carries the text itself: nothing is kept on the server."""
    return f"data:{media_type};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")

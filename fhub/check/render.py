"""The check's receipt as HTML for the local page: landing's Markdown receipt rendered without raw HTML
(every cell is escaped), headings moved one level down under the page's own heading, wide tables in a
scrollable, keyboard-reachable region."""

from __future__ import annotations

import base64

from markdown_it import MarkdownIt


def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.validateLink = lambda url: False  # noqa: ARG005 - the receipt has no links; never render one

    def heading(renderer, tokens, idx, options, env):
        token = tokens[idx]
        token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"  # receipt h1 -> h3 under the page's h2
        return renderer.renderToken(tokens, idx, options, env)

    def table_open(renderer, tokens, idx, options, env):
        return ('<div class="table-wrap" role="region" aria-label="Receipt table" tabindex="0">'
                + renderer.renderToken(tokens, idx, options, env))

    def table_close(renderer, tokens, idx, options, env):
        return renderer.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


def receipt_html(markdown: str) -> str:
    return _md().render(markdown)


def data_uri(text: str, media_type: str) -> str:
    """A download link's target that carries the text itself: nothing is kept on the server."""
    return f"data:{media_type};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")

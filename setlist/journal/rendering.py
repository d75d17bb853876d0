"""Markdown to HTML that is safe to put on a page.

Post bodies are stored exactly as written and may hold raw HTML (Markdown allows it).
Whatever renders them to HTML goes through `render_markdown`, which sanitises the result
with nh3 (an allow-list of tags and attributes; scripts, event handlers and
`javascript:` links are dropped), so a post can never carry script to a reader.
"""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": True})


def render_markdown(text: str) -> str:
    """Sanitised HTML for a Markdown text (CommonMark)."""
    return nh3.clean(_markdown.render(text))

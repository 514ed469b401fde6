"""The plan as a static web site: every page made from Jinja templates, escaped, self-contained.

Partners and the public want progress between board meetings; a folder of plain HTML pages is
the one thing every web host, intranet and GitHub Pages can serve. So the site has no script,
no web font and nothing fetched from anywhere else: one stylesheet, the pages and the charts'
SVG files, linked relatively so it works from `file://` and from any sub-path of a host.

Templates are layout only, like the Markdown document's, with autoescaping on: every plan text
is escaped, so an update reading `<script>` shows as text. A plan overrides them file by file in
`<templates>/html/`, and its templates run in the sandbox (templating.py).
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from datracker.core.text import printable
from datracker.render.site import SiteView
from datracker.render.templating import PACKAGED_TEMPLATES, budget, environment, run_template

STYLESHEET = "site.css"


def printable_output(value: object) -> object:
    """Every `{{ value }}` a page prints passes here before it is escaped: control characters
    are removed from text whatever the template does. Markup (made on purpose by a filter) is
    left as it is."""
    return printable(value) if type(value) is str else value


def html_paragraphs(value: object) -> Markup:
    """Several lines of plan text as paragraphs: a blank line starts a new one, and single
    line breaks are kept, as owners type them in updates. The text is escaped whole, then
    split: escaping leaves line breaks alone, and it is one call rather than one a line."""
    text = str(escape(printable(str(value))))
    blocks = (block.strip("\n") for block in text.split("\n\n"))
    return Markup(
        "\n".join(f"<p>{b.replace(chr(10), '<br>' + chr(10))}</p>" for b in blocks if b.strip())
    )


def narrative_html(markdown: str) -> Markup:
    """The lead's narrative (CommonMark) as HTML. Raw HTML is escaped and images are not
    rendered: an image from another host would make the site fetch it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    return Markup(parser.use(footnote_plugin).render(printable(markdown)))


def render_site(site: SiteView, override: Path | None) -> dict[str, bytes]:
    """Every file of the site, by path relative to the output folder."""
    env = environment("html", override, autoescape=True, finalize=printable_output)
    env.filters.update(paragraphs=html_paragraphs, narrative=narrative_html)
    chrome: dict[tuple[str, str], tuple[str, str]] = {}

    def page(template: str, root: str, current: str = "", **context: object) -> str:
        if (root, current) not in chrome:
            shared = {"site": site, "doc": site.doc, "root": root}
            chrome[root, current] = (
                run_template(env, "header.html.j2", current=current, **shared),
                run_template(env, "footer.html.j2", **shared),
            )
        header, footer = chrome[root, current]
        return run_template(
            env,
            template,
            site=site,
            doc=site.doc,
            root=root,
            header=Markup(header),
            footer=Markup(footer),
            **context,
        )

    with budget(env):
        pages = {"index.html": page("index.html.j2", "", "home")}
        pages["owners.html"] = page("owners.html.j2", "", "owners")
        if site.doc.narrative:
            pages["about.html"] = page("about.html.j2", "", "about")
        for priority in site.priorities:
            pages[f"priorities/{priority.page}"] = page(
                "priority.html.j2", "../", priority=priority
            )
        for action in site.actions:
            pages[f"actions/{action.page}"] = page("action.html.j2", "../", action=action)
    outputs = {name: text.encode("utf-8") for name, text in pages.items()}
    outputs[STYLESHEET] = _stylesheet(override)
    return outputs


def _stylesheet(override: Path | None) -> bytes:
    if override is not None and (override / "html" / STYLESHEET).is_file():
        return (override / "html" / STYLESHEET).read_bytes()
    return (PACKAGED_TEMPLATES / "html" / STYLESHEET).read_bytes()

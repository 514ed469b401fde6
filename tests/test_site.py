"""`render --format html`: the progress site, opened in a real headless Chromium.

Every page of the shipped plan's site (with a hostile update planted in it) is loaded from
disk and from a sub-path of a local web server; each must load without console errors, failed
requests or any request to another host, every link must lead somewhere, the planted script
must not run, and axe-core must find no serious or critical accessibility violation.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from browser import CHROMIUM_ARGS, require_browser
from conftest import SHIPPED_PLAN

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src="x" onerror="window.__pwned = 2">'
PLANTED = f"Two workshops held. {SCRIPT} {IMG} & <b>not bold</b>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan's site, with a hostile update text planted in A5 through `update`."""
    from typer.testing import CliRunner

    from datracker.cli import app as cli_app

    root = tmp_path_factory.mktemp("site")
    plan = root / "plan"
    shutil.copytree(SHIPPED_PLAN, plan)
    runner = CliRunner()
    for words in (
        [
            "review",
            "open",
            f"Update April 2022 {SCRIPT}",
            "--id",
            "2022-04",
            "--date",
            "2022-04-28",
        ],
        ["update", "A5", "--rag", "amber", "--date", "2022-04-20", "--text", PLANTED],
    ):
        done = runner.invoke(cli_app, [*words, "--plan", str(plan)])
        assert done.exit_code == 0, done.output
    out = root / "public" / "site"
    out.parent.mkdir()
    result = runner.invoke(
        cli_app, ["render", "--plan", str(plan), "--format", "html", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_site_has_every_page(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    assert {"index.html", "owners.html", "about.html"} <= names
    assert {f"priorities/{p}.html" for p in "ABCDEF"} <= names
    assert {"actions/A5.html", "actions/G8.html", "actions/D1.html"} <= names
    assert (site / "site.css").is_file()
    assert (site / "charts" / "A5-2.svg").is_file()


def test_plan_text_is_escaped_in_the_html(site: Path) -> None:
    """The update text (several lines: the paragraphs filter) and the review label (one line,
    on every page: the environment's own escaping) both carry a script."""
    for path in pages(site):
        page = path.read_text(encoding="utf-8")
        assert SCRIPT not in page and IMG not in page, path
        assert "Update April 2022 &lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page, path
    page = (site / "actions" / "A5.html").read_text(encoding="utf-8")
    assert "&amp; &lt;b&gt;not bold&lt;/b&gt;" in page


def test_nothing_on_any_page_is_fetched_from_another_host(site: Path) -> None:
    """Links out (the narrative cites its sources) are fine; nothing may be *loaded* from
    elsewhere: no script, stylesheet, font or image. The browser tests below also watch."""
    import re

    for page in [*pages(site), site / "site.css"]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text, page
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), page
        for tag in re.findall(r"<(?:img|link|source|iframe|embed|object)\b[^>]*>", text):
            assert not re.search(r'(?:src|href|srcset|data)="(?:https?:)?//', tag), (page, tag)


def test_the_same_plan_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from datracker.cli import app as cli_app

    plan = site.parent.parent / "plan"
    again = tmp_path / "again"
    result = CliRunner().invoke(
        cli_app, ["render", "--plan", str(plan), "--format", "html", "--output", str(again)]
    )
    assert result.exit_code == 0, result.output
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


# --- in the browser --------------------------------------------------------------------------


@dataclass
class Visit:
    """What the browser saw while one page loaded."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Any, str]]:
    chromium, axe = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched, axe
        finally:
            launched.close()


def open_page(browser: Any, url: str, base: str, **context: Any) -> tuple[Any, Visit]:
    visit = Visit()
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed.append(r.url))

    def guard(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            visit.foreign.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    response = page.goto(url)
    assert response is None or response.ok, url
    page.wait_for_load_state("load")
    return page, visit


AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations"
)


def axe_violations(page: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in page.evaluate(AXE_RUN)
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_loads_cleanly_and_passes_axe(browser: tuple[Any, str], site: Path) -> None:
    """One page object visits every page; axe-core is added to each by an init script (parsing
    it once per page that way is about half the cost of adding it after the load)."""
    launched, axe = browser
    base = site.as_uri()
    context = launched.new_context()
    context.add_init_script(script=axe)
    page = context.new_page()
    seen: list[str] = []
    page.on(
        "console", lambda m: seen.append(f"console error: {m.text}") if m.type == "error" else 0
    )
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: seen.append(f"failed request: {r.url}"))

    def guard(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            seen.append(f"request to another host: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    problems: list[str] = []
    for path in pages(site):
        seen.clear()
        page.goto(path.as_uri())
        name = path.relative_to(site).as_posix()
        if page.evaluate("window.__pwned") is not None:
            problems.append(f"{name}: a planted script ran")
        problems.extend(f"{name}: {item}" for item in [*seen, *axe_violations(page)])
    context.close()
    assert not problems, "\n".join(problems)


def test_the_planted_script_shows_as_text(browser: tuple[Any, str], site: Path) -> None:
    launched, _ = browser
    page, _visit = open_page(launched, (site / "actions" / "A5.html").as_uri(), site.as_uri())
    assert SCRIPT in page.inner_text("main")
    assert page.evaluate("window.__pwned") is None
    page.context.close()


def test_every_link_resolves_from_disk(site: Path) -> None:
    """Every href on every page names a file of the site (and an id on it, for #anchors)."""
    import re

    broken = []
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"]+)"', text):
            if urlparse(href).scheme in ("http", "https", "mailto"):
                continue  # a link out of the site, such as a source the narrative cites
            target, anchor = urldefrag(href)
            file = (path.parent / unquote(target)).resolve() if target else path
            if not file.is_file() or not file.is_relative_to(site):
                broken.append(f"{path.relative_to(site)}: {href}")
            elif anchor and f'id="{anchor}"' not in file.read_text(encoding="utf-8"):
                broken.append(f"{path.relative_to(site)}: {href} (no such anchor)")
    assert not broken, broken


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site's parent folder on a local web server, so the site sits at a sub-path."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(site.parent.parent)
    )
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/public/site/"
    finally:
        server.shutdown()


def test_links_work_from_a_sub_path_of_a_web_host(
    browser: tuple[Any, str], served: str, site: Path
) -> None:
    launched, _ = browser
    page, visit = open_page(launched, served + "index.html", served)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    page.context.close()
    for url in sorted({h for h in hrefs if h.startswith(served)}):
        page, visit = open_page(launched, url, served)
        assert urlparse(url).path.startswith("/public/site/"), url
        assert not visit.failed and not visit.foreign, (url, visit)
        page.context.close()


def test_readable_without_javascript(browser: tuple[Any, str], site: Path) -> None:
    launched, _ = browser
    page, _ = open_page(
        launched,
        (site / "priorities" / "A.html").as_uri(),
        site.as_uri(),
        java_script_enabled=False,
    )
    assert "Promote healthy relationships" in page.inner_text("h1")
    assert "A5" in page.inner_text("table")
    page.context.close()


@pytest.mark.parametrize("name", ["index.html", "priorities/A.html", "actions/A5.html"])
def test_usable_at_320_pixels_wide(browser: tuple[Any, str], site: Path, name: str) -> None:
    """WCAG's reflow rule: nothing but a data table may need sideways scrolling at 320 px."""
    launched, _ = browser
    page, _ = open_page(
        launched, (site / name).as_uri(), site.as_uri(), viewport={"width": 320, "height": 640}
    )
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > 321)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not wider, wider
    page.context.close()


def test_printed_pages_drop_the_navigation(browser: tuple[Any, str], site: Path) -> None:
    launched, _ = browser
    page, _ = open_page(launched, (site / "priorities" / "A.html").as_uri(), site.as_uri())
    page.emulate_media(media="print")
    assert not page.is_visible("header nav")
    assert page.is_visible("table.plan")
    page.context.close()


def test_past_updates_name_the_board_s_record_in_git_and_say_what_changed(
    tmp_path: Path,
) -> None:
    """Each closed review's update is compared with git's record of it at the review's commit:
    an untouched one says where that record is, a corrected one says what it was."""
    from typer.testing import CliRunner

    from datracker.cli import app as cli_app
    from gitutil import commit_all, git, init_repo

    repo = init_repo(tmp_path / "repo")
    shutil.copytree(SHIPPED_PLAN, repo / "plan")
    commit_all(repo, "the plan as the board saw it")
    runner = CliRunner()
    tagged = runner.invoke(cli_app, ["review", "tag", "--plan", str(repo / "plan")])
    assert tagged.exit_code == 0, tagged.output
    priority = repo / "plan" / "priorities" / "a-healthy-relationships.yaml"
    text = priority.read_text(encoding="utf-8")
    a5 = text.index("  - id: A5")
    changed = text[:a5] + text[a5:].replace("rag: AMBER", "rag: GREEN", 1)
    priority.write_text(changed, encoding="utf-8")
    commit_all(repo, "A5 re-rated after the meeting")
    out = tmp_path / "site"
    done = runner.invoke(
        cli_app, ["render", "--plan", str(repo / "plan"), "--format", "html", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    closing = git(repo, "rev-parse", "--short=7", "review/2022-01^{commit}").strip()
    a5_page = (out / "actions" / "A5.html").read_text(encoding="utf-8")
    assert "Changed since the review:</strong> the RAG was AMBER" in a5_page
    assert f"git: tag review/2022-01, commit {closing}" in a5_page
    a1_page = (out / "actions" / "A1.html").read_text(encoding="utf-8")
    assert f"As the board saw it (git: tag review/2022-01, commit {closing})" in a1_page
    assert "Changed since the review" not in a1_page

"""`datracker render`, Markdown side and the command's contract: real files, real processes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from datracker.core.problems import DatrackerError
from datracker.plan.store import load_plan
from datracker.render.markdown import md_text, render_markdown
from datracker.render.narrative import neutralise_html
from datracker.render.view import (
    ChangeLine,
    Changes,
    build_view,
)
from datracker.report.escape import md_escape
from renderplan import make_render_plan


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return make_render_plan(tmp_path)


def test_default_writes_both_formats_for_latest_review(run, plan: Path) -> None:
    result = run("render", "--plan", plan, cwd=plan.parent)
    assert result.code == 0, result.err
    assert result.out.split() == ["build/refresh-r2.md", "build/refresh-r2.docx"]
    assert (plan.parent / "build" / "charts" / "A5-1.svg").is_file()


def test_markdown_sections_in_the_seed_order(run, plan: Path, tmp_path: Path) -> None:
    run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    text = (tmp_path / "out" / "refresh-r2.md").read_text(encoding="utf-8")
    order = [
        "# Test Strategy 2022-2025",
        "**Refresh — Update April 2022**",
        "**DRAFT FOR APPROVAL**",
        "## Introduction",
        "## The financial challenge",
        "## Delivery plan summary",
        "- A. Promote healthy relationships — computed: RED (6 actions: 1 COMPLETE, 1 REMOVED, "
        "1 N/A, 1 RED, 1 AMBER, 1 GREEN)",
        "- B. Improve identification — computed: NOT RATED (1 action: 1 NEW) **[focus]**",
        "### RAG key",
        "## Changes since Update January 2022",
        "*Not shown: the plan's git history has no record of Update January 2022",
        "## Priority A: Promote healthy relationships",
        "| ID | Objective | Action | Measure | By whom | Update April 2022 | RAG |",
        "| **A2 COMPLETE** |",
        "| **A3 REMOVED - RAG RED** |",
        "| **A4 N/A - Marac IT** |",
        "![A5: Requests each month (requests)](charts/A5-1.svg)",
        "## Priority B: Improve identification [focus]",
        "## Appendix: owners and their actions",
        "| Amy Ford |  | A1, A6, B1 |",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "| Delivery is feasible, with issues |" in text  # the scale's wording


def test_markdown_table_cells_are_escaped(run, plan: Path, tmp_path: Path) -> None:
    run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    text = (tmp_path / "out" / "refresh-r2.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| A1 |"))
    assert "Pipes \\| here, new line and &lt;b&gt;html&lt;/b&gt; &amp; a bell end" in row
    assert row.count(" | ") == 6  # seven cells, no pipe leaked
    # a control character in a plan file is an error validate reports (the plan is not
    # rendered); text reaching the template by other ways still has them removed
    assert md_text("a bell \a end") == "a bell end"


def test_narrative_raw_html_is_neutralised_but_code_and_autolinks_kept() -> None:
    text = "<script>x</script> `<b>` <https://e.org/a>\n```\n<kept>\n```\n<div>"
    assert neutralise_html(text) == (
        "&lt;script>x&lt;/script> `<b>` <https://e.org/a>\n```\n<kept>\n```\n&lt;div>"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a  b", "a b"),
        (" a", "a"),
        ("a ", "a"),
        ("a\u3000b", "a b"),
        ("a\x85b", "a b"),
        ("x|y", "x\\|y"),
        ("<b>", "&lt;b&gt;"),
        ("plain words", "plain words"),
    ],
)
def test_cell_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_prose_escape_keeps_markdown_inert() -> None:
    assert md_text("# not *a* heading <b>") == "\\# not \\*a\\* heading \\<b\\>"
    assert md_text("1. not a list") == "1\\. not a list"
    assert md_text("- not a bullet") == "\\- not a bullet"


def test_charts_only_for_three_or_more_points(plan: Path) -> None:
    view = build_view(load_plan(plan).require_plan())
    assert [chart.path for chart in view.charts] == ["charts/A5-1.svg"]


def test_render_is_byte_identical_twice(run, plan: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        assert run("render", "--plan", plan, "--output", tmp_path / name).code == 0
        outputs.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 3


def test_closed_approved_review_says_approved(run, tmp_path: Path) -> None:
    plan = make_render_plan(tmp_path, narrative=False)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(
        text.replace("    status: open\n", "    status: closed\n    approved: 2022-05-03\n"),
        encoding="utf-8",
    )
    assert run("render", "--plan", plan, "-f", "md", "--output", tmp_path / "o").code == 0
    assert "**Approved 3 May 2022 by Health and Wellbeing Board**" in (
        tmp_path / "o" / "refresh-r2.md"
    ).read_text("utf-8")


def test_older_review_shows_ratings_as_they_were(run, plan: Path, tmp_path: Path) -> None:
    result = run("render", "--plan", plan, "--review", "r1", "-f", "md", "-o", tmp_path / "o")
    assert result.code == 0, result.err
    text = (tmp_path / "o" / "refresh-r1.md").read_text(encoding="utf-8")
    assert (
        "| A6 | Hard one | Try | Done or not | Bruce Marr / Amy Ford | Started. | **AMBER** |"
        in text
    )
    assert "no earlier review in the plan's history" in text


def test_changes_section_renders_change_lines(plan: Path) -> None:
    changes = Changes(
        "Update January 2022",
        [
            ChangeLine("A", "A6", "AMBER → RED", "down"),
            ChangeLine("A", "A5", "AMBER → GREEN", "up"),
            ChangeLine("A", "A2", "completed", "complete"),
            ChangeLine("B", "B1", "new action", "new"),
        ],
    )
    view = build_view(load_plan(plan).require_plan(), changes=changes)
    text = render_markdown(view, None)
    assert "## Changes since Update January 2022" in text
    assert "- **A6** (A): AMBER → RED — ▼ worse" in text
    assert "- **A5** (A): AMBER → GREEN — ▲ improved" in text
    assert "not shown" not in text


# --- templates ----------------------------------------------------------------------------


def test_template_override_replaces_one_file(run, plan: Path, tmp_path: Path) -> None:
    override = plan.parent / "templates" / "markdown"
    override.mkdir(parents=True)
    (override / "appendix.md.j2").write_text("## Owners\n\nOverridden.\n", encoding="utf-8")
    assert run("render", "--plan", plan, "-f", "md", "-o", tmp_path / "o").code == 0
    text = (tmp_path / "o" / "refresh-r2.md").read_text(encoding="utf-8")
    assert "Overridden." in text and "## Delivery plan summary" in text


def test_templates_option(run, plan: Path, tmp_path: Path) -> None:
    custom = tmp_path / "custom" / "markdown"
    custom.mkdir(parents=True)
    (custom / "title.md.j2").write_text("# {{ doc.title.title | text }} (custom)\n", "utf-8")
    result = run(
        "render",
        "--plan",
        plan,
        "-f",
        "md",
        "-o",
        tmp_path / "o",
        "--templates",
        tmp_path / "custom",
    )
    assert result.code == 0, result.err
    assert "# Test Strategy 2022-2025 (custom)" in (tmp_path / "o/refresh-r2.md").read_text("utf-8")


def _override(plan: Path, name: str, text: str) -> None:
    folder = plan.parent / "templates" / "markdown"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_template_typo_names_template_line_and_name(run, plan: Path, tmp_path: Path) -> None:
    _override(plan, "title.md.j2", "# Title\n\n{{ doc.title.titel }}\n")
    result = run("render", "--plan", plan, "-o", tmp_path / "o")
    assert result.code == 1
    assert "title.md.j2, line 3" in result.err
    assert "titel" in result.err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_template_syntax_error(run, plan: Path, tmp_path: Path) -> None:
    _override(plan, "summary.md.j2", "ok\n{% for x in %}\n")
    result = run("render", "--plan", plan, "-o", tmp_path / "o")
    assert result.code == 1
    assert "summary.md.j2, line 2" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "reach",
    [
        "''.__class__.__mro__",
        "doc.__class__",
        "doc.title.__class__.__init__.__globals__",
        "doc.priorities[0].rows[0].__dataclass_fields__",
    ],
)
def test_sandbox_blocks_python_internals(run, plan: Path, tmp_path: Path, reach: str) -> None:
    _override(plan, "title.md.j2", "{{ " + reach + " }}\n")
    result = run("render", "--plan", plan, "-f", "md", "-o", tmp_path / "o")
    assert result.code == 1
    assert "title.md.j2" in result.err and "not allowed in a template" in result.err
    assert "<class" not in result.out


def test_rerender_rewrites_only_what_changed(run, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("render", "--plan", plan, "-o", out).code == 0
    chart, markdown = out / "charts" / "A5-1.svg", out / "refresh-r2.md"
    first = {path: path.stat().st_ino for path in (chart, markdown)}
    target = plan / "priorities" / "a.yaml"
    target.write_text(target.read_text().replace("On track.", "Still on track."))
    assert run("render", "--plan", plan, "-o", out).code == 0
    assert chart.stat().st_ino == first[chart]  # same bytes: left alone
    assert markdown.stat().st_ino != first[markdown]  # replaced atomically
    assert "Still on track." in markdown.read_text()


# --- bad input ----------------------------------------------------------------------------


def test_unknown_review(run, plan: Path, tmp_path: Path) -> None:
    result = run("render", "--plan", plan, "--review", "r9", "-o", tmp_path / "o")
    assert result.code == 2
    assert "no review 'r9'" in result.err and "reviews are: r1, r2" in result.err


def test_narrative_not_utf8(run, plan: Path, tmp_path: Path) -> None:
    (plan / "narrative" / "03-bad.md").write_bytes(b"## Money\n\nCost \xa3100\n")
    result = run("render", "--plan", plan, "-o", tmp_path / "o")
    assert result.code == 1
    assert "03-bad.md: line 3: the file is not UTF-8" in result.err
    assert not (tmp_path / "o").exists()


def test_output_in_missing_directory(run, plan: Path, tmp_path: Path) -> None:
    result = run("render", "--plan", plan, "-o", tmp_path / "missing" / "out")
    assert result.code == 1
    assert "does not exist" in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_output_read_only(run, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = run("render", "--plan", plan, "-o", out)
    finally:
        out.chmod(0o755)
    assert result.code == 1
    assert "cannot write" in result.err
    assert list(out.iterdir()) == []


def test_plan_with_errors_is_refused(run, plan: Path, tmp_path: Path) -> None:
    (plan / "priorities" / "c.yaml").write_text(
        "id: C\ntitle: x\nactions:\n  - id: C1\n    stauts: new\n"
    )
    result = run("render", "--plan", plan, "-o", tmp_path / "o")
    assert result.code == 1
    assert "c.yaml cannot be read whole" in result.err
    assert (
        "priorities/c.yaml:5:5: error: unknown field 'stauts'" in result.err
    )  # where, as validate


def test_missing_reference_docx(run, plan: Path, tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "reference.docx").write_bytes(b"not a zip at all")
    result = run("render", "--plan", plan, "-o", tmp_path / "o", "--templates", custom)
    assert result.code == 1
    assert "cannot be read as a Word file" in result.err
    assert not (tmp_path / "o").exists()


def test_missing_templates_dir(run, plan: Path, tmp_path: Path) -> None:
    result = run("render", "--plan", plan, "--templates", tmp_path / "nope")
    assert result.code == 1
    assert "does not exist" in result.err


def test_missing_reference_is_an_error() -> None:
    from datracker.render.word import open_reference

    with pytest.raises(DatrackerError, match="is missing"):
        open_reference(Path("/nonexistent/reference.docx"))


def test_shipped_plan_renders(run, tmp_path: Path) -> None:
    from conftest import SHIPPED_PLAN

    plan = tmp_path / "plan"
    shutil.copytree(SHIPPED_PLAN, plan)
    result = run("render", "--plan", plan, "-o", tmp_path / "build")
    assert result.code == 0, result.err
    text = (tmp_path / "build" / "refresh-2022-01.md").read_text(encoding="utf-8")
    assert "**Approved 9 February 2022 by Health and Wellbeing Board**" in text
    assert "| **B2 REMOVED - RAG RED** |" in text
    assert (tmp_path / "build" / "charts" / "A5-2.svg").is_file()
    assert (tmp_path / "build" / "charts" / "A5-3.svg").is_file()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_output_folder_that_cannot_be_created(run, plan: Path) -> None:
    result = run("render", "--plan", plan, "-o", "/proc/datracker-render-test")
    assert result.code == 1
    assert "cannot create the output folder /proc/datracker-render-test" in result.err


def test_output_folder_linking_outside_is_refused(run, plan: Path, tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "charts").symlink_to(elsewhere, target_is_directory=True)
    result = run("render", "--plan", plan, "-f", "md", "-o", out)
    assert result.code == 1
    assert "refusing to write" in result.err and "outside" in result.err
    assert list(elsewhere.iterdir()) == []


def test_output_file_linking_outside_is_replaced_not_followed(
    run, plan: Path, tmp_path: Path
) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.svg"
    (out / "charts").mkdir(parents=True)
    victim.write_text("not a chart")
    (out / "charts" / "A5-1.svg").symlink_to(victim)
    assert run("render", "--plan", plan, "-f", "md", "-o", out).code == 0
    assert victim.read_text() == "not a chart"
    chart = out / "charts" / "A5-1.svg"
    assert not chart.is_symlink() and chart.read_text().startswith("<svg")

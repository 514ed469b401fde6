"""What vulture (the dead-code check in `make test`) cannot see being used: names that only a
library reads or calls. Typer commands are recognised by their decorators (pyproject.toml,
[tool.vulture]); everything else that looks unused to it is listed here, with who uses it.

This file is read by vulture only; it is never imported.
"""

# ruff: noqa: B018, F821
# mypy: ignore-errors

# Click calls these overrides of its Command class (cli/helpformat.py).
_.collect_usage_pieces
_.format_options

# pydantic reads a model's configuration (plan/models.py); Jinja's sandbox reads which binary
# operators to intercept (render/bounds.py).
_.model_config
_.intercepted_binops

# expat calls the handlers set on a parser (importing/limits.py).
_.StartDoctypeDeclHandler
_.StartElementHandler

# Properties python-docx, openpyxl and zipfile write into the file when set (render/word.py,
# render/docxmd.py, render/docxkit.py, report/export.py, scripts/make_reference_docx.py).
_.alignment
_.category
_.comments
_.compress_type
_.external_attr
_.footer_distance
_.freeze_panes
_.header_distance
_.italic
_.keywords
_.last_modified_by
_.modified
_.orientation
_.quotePrefix
_.rgb
_.space_after
_.strike
_.superscript
_.underline

# The progress site's templates (render/templates/html/*.j2) read these fields of its view
# (render/site.py); no Python code does.
_.page_anchor
_.priority_title
_.priority_page
_.action_pages
_.has_of
_.has_notes

"""Every listing as data rendered as a terminal table, Markdown or JSON; export and CODEOWNERS."""

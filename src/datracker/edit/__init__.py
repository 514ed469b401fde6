"""Changing the plan: the YAML text editor, safe atomic writes, updates, reviews and init."""

"""The plan itself: its model, reading files with positions, schema, validation, status, diff."""

"""The refresh document: one view model, rendered through templates as Markdown and Word."""

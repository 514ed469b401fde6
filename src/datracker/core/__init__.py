"""The bottom layer: Problem and DatrackerError, dates, text, and the start-up GC pause."""

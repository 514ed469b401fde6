"""`datracker import`: a delivery plan from a Word table, a spreadsheet or a CSV file.

No council starts from an empty YAML file, so import has to cope with the plans they really
have: priority headings in the paragraphs above a table, tables continued after a page break,
one-line rows such as "A7 COMPLETE", RAG cells such as "AMBER - stalled by Covid" and owners
typed as "Kelly Pierce/Danni Honey". Every guess is recorded in an ImportReport with its source
location, so the strategy lead can check it rather than trust it.

Modules: `tables` reads files into plain rows of text; `cells` interprets single cells;
`importer` turns rows into plan models; `planwriter` writes the YAML; `output` puts a plan
directory in place only once it has been written and validated in full.
"""

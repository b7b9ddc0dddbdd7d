"""Publishing a review: the case's glossary, its papers and chronology for publication, and the publication check.

The core knows no file format: :mod:`anonymise` finds and replaces identifiers in text, :mod:`glossary`
suggests who is called what, :mod:`check` lists what is left. Documents and workbooks are read and
written in :mod:`caseforms.io.publication_files`.
"""

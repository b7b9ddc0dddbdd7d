"""Papers: the catalogue of fields, the input model and the context of each paper (no file formats here)."""

"""`caseforms demo`: a partnership's working folder filled with fictional cases, to see the whole job.

:mod:`caseforms.demo.data` holds the fictional records as declarative tables, dated relative to the
day the demo runs; :mod:`caseforms.demo.returns` writes the agencies' chronology returns the way
agencies send them; :mod:`caseforms.demo.build` lays out the folder with the same jobs an officer
runs (:mod:`caseforms.jobs`). Every name, number and event is invented.
"""

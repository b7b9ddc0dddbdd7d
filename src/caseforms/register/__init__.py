"""The case register: one schema, plain records, and the checks an officer's entries must pass.

Nothing here knows a file format. ``caseforms.io.register_xlsx`` builds and reads the workbook;
other modules read a register with :func:`caseforms.io.register_xlsx.read_register` and get the
plain records defined in :mod:`caseforms.register.records`.
"""

from __future__ import annotations

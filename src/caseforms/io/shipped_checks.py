"""The shipped templates known to pass the template check, so that no command checks them again.

Checking a template (caseforms.io.docx_render.check_template) opens it and parses every part
with Jinja: 40 ms for the five templates of the Rapid Review meeting pack, in every new process.
The templates caseforms ships are checked here once, when they are made: each clean one is listed
by its file's SHA-256, its paper and a digest of the names of the fields that paper provides. A
template with exactly those bytes, checked for that paper with those fields, passes the check
without being read: the list can only hold templates whose check found nothing, and any other
template (a partnership's own, an edited copy, a paper whose fields changed) is checked in full.
Nothing is written at run time.

Made again with ``python -m caseforms.io.shipped_checks`` after a shipped template or the field
catalogue changes (tests/test_papers_contract.py says so when the list is out of date).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseforms.papers.fields import Paper

#: (SHA-256 of the template file, paper, fields digest) of every shipped template whose check finds nothing.
CLEAN: frozenset[tuple[str, str, str]] = frozenset({
    ('0317310711c02d93867bf4acd14f327a4a2ac151f6b4fa237e42125817ccd60a', 'rr_terms_of_reference', '6266a639e69ad562'),
    ('0a55b6756efbae4387ded2af433adfbb76c316e9c81d8e0fa1e40c8f5f814869', 'agency_summaries', '4d0ea3c368fcd858'),
    ('26efe930520d655f619e90f29d221ecda4c3de839b34dc3ca8e369f3bf7d0150', 'rr_agenda', 'df065b9cfbaba4b1'),
    ('27cb7a809dbc53c5070464e97a8e7c6d6cf68a80b3857a780f03a29c3989746b', 'lcspr_terms_of_reference', 'd1d946e4de086e0b'),
    ('28f259518e4cffa1f466746119636b0e92c503d846eb845a0ed9e2f08b0f7597', 'partners_report', 'd9309e34d2bc212e'),
    ('2cbe95301c6cf70d418aed6fa6d3432897b74bc0c7109d7379319c71e85998f4', 'placing_authority_letter', 'f8eeab63a355ae19'),
    ('2d209bb2f8dcd3656563d8c8e00f20f5f037bb18e46c5b9ad57fbb88757b5aba', 'imr_request', '9a69bf49f44d6686'),
    ('2f841f427dba1f0cd3f9c53346baefc8275112f0d168a846a25dea5b557d6395', 'panel_reply_letter', 'f7f552480bed8f29'),
    ('37e3c701534289e154c907666fdca05c6d3cd1ee82ae143ffb09c61fa7ca691e', 'rr_action_plan', 'f0acac7b424f28e9'),
    ('3e5616c85890a6a9787249f2167656d42966ebe7bd2d437cd6e250178b80139e', 'submission_letter', '3e0b7b3630ac2915'),
    ('4220b61c979f1ad326ad8f00de791e6470083ddb0f85f820c6ba9fa2d1d3f554', 'outcome_letter', '52d8697e0f2391c6'),
    ('44d234022156aff717e455701d909ca4d0ae1e9df2315d9fbadb033b0fdee843', 'publication_signoff', 'ab7db24c332cedc9'),
    ('4537fa4a7803e8ffe56a43902061b3ab18d7f7ed2a5686b54b991caa19c2a952', 'master_chronology', '9916763416b81f3e'),
    ('6705fadf4ad0e2a0cf5e355459ba75cfd378983eacb9ca9cd93c3b4d34f58355', 'receipt_letter', '993bd0d812956f83'),
    ('7e345058f39d6433eb2871808b8b66bf5a12c695221d2a6c2646ec43f18bef6c', 'pack_contents', 'fbb1243d09ee5148'),
    ('8bcecdcd6ac0049031fe7b4b92ce5d98c7bbe3ea6b37d4ba5e56fc7fc6ab8766', 'rr_report', 'c158ba91384a3fef'),
    ('8ccbb9217f42d4c4d14876b45722d97648dbf7f3a9af63fcb43b6c7c173afa80', 'referral', 'd4426bec183b89e2'),
    ('9d1d9d19c1200c4e89c641eeeb9aa60cc9ae470e7352b8df7f090da68a8faf95', 'lcspr_final_report', '9a3b12837fbc4e34'),
    ('a8094f04b3985abe8370d239bcd86f1ce11549b914f817f4812575b6e175edbc', 'chronology_request', 'b2518585df896966'),
    ('b64204f012a7a35dfbf91b4f6ff8cdd7bf6e0b6d062288f037249d7a10abe49d', 'lcspr_report_letter', 'ac990204e6bcc68b'),
    ('bb2ccb9214becd50ee7e1f720182b7a6ddc71d8a39ba4a9c142e780a96f5c1b6', 'lcspr_panel_agenda', '29b7ac738894cbe1'),
    ('bc6aa0a6a220df0038c99613a2d9d07c1bb7f3730d58ca8f6eb4d111c6948a72', 'rr_meeting_record', '8b408fd53d02096a'),
    ('be58002a3fd86a19515f7ddc89c1b3213bc4cd5bf6dab85bee2e874152b0d8c6', 'duty_notification', '625945f30e70f627'),
    ('c3b50c0334e0195201f4058b32fd65db614d9dfbad74cd6a114fadbf3dfe92f3', 'imr_report', '9a69bf49f44d6686'),
    ('c6e08d5758546e7a7dd47ed201884124b617f7e52c1eaa1be026e186f4f8c151', 'annual_report', 'df8611d5339f7e70'),
    ('d3df3fca83fea69c98b08357fd7af3b094082fd59c7faad3835660d384710c0b', 'decision', '121db1d9ad48ebaf'),
    ('e2b7f7d22f85d2900429da26da9d0767a776f866b0e4aa4359a2d5a49fdedf7a', 'escalation_report', 'da6bde40ab336773'),
    ('e501623ec044bf8cfe8b2ad95750a08e8e1dc2e8fdaac9df33076ce873f68548', 'notification', 'e02e5a094540a630'),
    ('f364b347c036a64f016802f01bb66b43a2d7b23c2e702ede08baafe21e93f546', 'lig_report', 'da6bde40ab336773'),
})


def fields_digest(paper: Paper) -> str:
    """Return a digest of the names of the fields a paper provides (what its template may use)."""
    return hashlib.sha256("\n".join(sorted(paper.fields)).encode("utf-8")).hexdigest()[:16]


def known_clean(digest: bytes, paper: Paper) -> bool:
    """Return whether a template file with this SHA-256 digest is a shipped template known to pass the check for ``paper``."""
    return (digest.hex(), paper.name, fields_digest(paper)) in CLEAN


def checked_now() -> set[tuple[str, str, str]]:
    """Check every shipped template in full for its paper; return the entries of those whose check finds nothing."""
    from caseforms.io.docx_render import full_check, template_path
    from caseforms.papers.fields import every_paper

    clean = set()
    for paper in every_paper().values():
        path = template_path(paper)
        if not full_check(path, paper):
            clean.add((hashlib.sha256(path.read_bytes()).hexdigest(), paper.name, fields_digest(paper)))
    return clean


def write(path: Path = Path(__file__)) -> None:
    """Write CLEAN into this module's source, as the shipped templates check now."""
    source = path.read_text(encoding="utf-8")
    start = source.index("CLEAN: frozenset")
    end = source.index("})\n", start) + 3
    rows = "".join(f"    {entry!r},\n" for entry in sorted(checked_now()))
    path.write_text(source[:start] + "CLEAN: frozenset[tuple[str, str, str]] = frozenset({\n" + rows + "})\n"
                    + source[end:], encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"{len(CLEAN)} before; wrote the shipped templates that pass the check into {__file__}")

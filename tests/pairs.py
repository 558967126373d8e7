"""Made-up pairs of one agency's reports for consecutive years, for comparison tests.

Built with :mod:`synth`: the later report repeats the earlier one's prose
(the same random stream draws it), states its own figures, carries over what
the earlier one carried forward (B6 holds) and keeps the documents in force
consistent (A2 holds), unless asked to break them.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from synth import AGENCIES, random_values, render

import govreport
from govreport.model import Report

AGENCY = AGENCIES[0]
OLD_YEAR = 2022
NEW_YEAR = 2023
B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution",
             "social_welfare_org", "legal_service_org", "other_org", "total")


def pair_values(seed: int = 3, *, break_b6: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values of the two years' tables (2021 template)."""
    old = random_values(random.Random(seed), "2021")
    new = random_values(random.Random(seed + 100), "2021")
    # Figures chosen to read in the formula of the issue: 597 + 50 − 227 = 420.
    old["proactive.normative_documents.in_force"] = 597
    new["proactive.normative_documents.issued"] = 50
    new["proactive.normative_documents.repealed"] = 227
    new["proactive.normative_documents.in_force"] = 420
    old["proactive.rules.in_force"] = 3
    new["proactive.rules.issued"] = 1
    new["proactive.rules.repealed"] = 0
    new["proactive.rules.in_force"] = 4
    for c in B_COLUMNS:
        new[f"applications.carried_over.{c}"] = old[f"applications.carried_forward.{c}"]
    old["applications.new_received.total"] = 74
    new["applications.new_received.total"] = 81
    if break_b6:
        new["applications.carried_over.total"] = (old["applications.carried_forward.total"] or 0) + 5
    return old, new


def pair_texts(seed: int = 3, *, same_prose: bool = True, break_b6: bool = False,
               layout: str = "pipe_rows") -> tuple[str, str]:
    """The texts of the two reports."""
    old_values, new_values = pair_values(seed, break_b6=break_b6)
    old = render(old_values, layout=layout, template="2021", agency=AGENCY, year=OLD_YEAR,
                 rng=random.Random(seed))
    new = render(new_values, layout=layout, template="2021", agency=AGENCY, year=NEW_YEAR,
                 rng=random.Random(seed if same_prose else seed + 7))
    return old, new


def write_pair(folder: Path, seed: int = 3, **kwargs: Any) -> tuple[Path, Path]:
    """The two reports written as files in ``folder``."""
    old, new = pair_texts(seed, **kwargs)
    paths = (folder / f"{AGENCY}_{OLD_YEAR}.txt", folder / f"{AGENCY}_{NEW_YEAR}.txt")
    for path, text in zip(paths, (old, new), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def parse_pair(seed: int = 3, **kwargs: Any) -> tuple[Report, Report]:
    """The two reports, parsed."""
    old, new = pair_texts(seed, **kwargs)
    return govreport.parse(old), govreport.parse(new)

"""Code lists from DOMAIN.md: SSDA903 OC3 (in touch, activity, accommodation); the gender and
contact-kind enums are in ``models``, beside the columns that hold them.

Unknown codes are errors, never silently dropped: the OC3 return and Ofsted's Annex A read these.
"""

from __future__ import annotations

IN_TOUCH: dict[str, str] = {
    "YES": "Yes",
    "NO": "No",
    "DIED": "Died",
    "REFU": "Refuses contact",
    "NREQ": "No longer requires services",
    "RHOM": "Returned home for 6 months or more",
}

ACTIVITY: dict[str, str] = {
    "F1": "Full time in higher education",
    "P1": "Part time in higher education",
    "F2": "Full time in education other than higher education",
    "P2": "Part time in education other than higher education",
    "F4": "Full time apprenticeship",
    "P4": "Part time apprenticeship",
    "F5": "Full time in training or employment (not apprenticeship)",
    "P5": "Part time in training or employment (not apprenticeship)",
    "G4": "Not in education, training or employment: illness or disability",
    "G5": "Not in education, training or employment: other reasons",
    "G6": "Not in education, training or employment: pregnancy or parenting",
    "0": "Unknown or not applicable",
}

ACCOMMODATION_TYPE: dict[str, str] = {
    "B": "Parents/relatives",
    "C": "Community home/residential",
    "D": "Semi-independent/transitional",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings",
    "R": "Residence not known",
    "S": "No fixed abode/homeless",
    "T": "Foyer",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other",
    "Z": "With former foster carers",
}

SUITABILITY = {"1": "Suitable", "2": "Unsuitable"}
# Homeless and custody are never suitable accommodation.
NEVER_SUITABLE = frozenset({"S1", "X1"})
ACCOMMODATION: frozenset[str] = frozenset(
    {f"{letter}{digit}" for letter in ACCOMMODATION_TYPE for digit in SUITABILITY} - NEVER_SUITABLE
) | {"0"}


def observation_problems(
    in_touch: str, activity: str, accommodation: str, *, age: int | None = None
) -> list[tuple[str, str]]:
    """Every way an observation breaks the SSDA903 code lists and rules, as (field, reason)."""
    problems: list[tuple[str, str]] = []
    if in_touch not in IN_TOUCH:
        problems.append(
            ("in_touch", f"unknown code {in_touch!r}; use one of {', '.join(IN_TOUCH)}")
        )
    if activity not in ACTIVITY:
        problems.append(
            ("activity", f"unknown code {activity!r}; use one of {', '.join(ACTIVITY)}")
        )
    if accommodation in NEVER_SUITABLE:
        problems.append(
            (
                "accommodation",
                f"{accommodation} is invalid: homeless and custody are never suitable",
            )
        )
    elif accommodation not in ACCOMMODATION:
        problems.append(
            (
                "accommodation",
                f"unknown code {accommodation!r}; a letter ({''.join(ACCOMMODATION_TYPE)}) "
                "and 1 (suitable) or 2 (unsuitable), or 0",
            )
        )
    if problems:
        return problems
    if in_touch in ("DIED", "RHOM") and (activity != "0" or accommodation != "0"):
        problems.append(("in_touch", f"{in_touch} means activity and accommodation are both 0"))
    if in_touch == "YES":
        if activity == "0":
            problems.append(("activity", "in touch (YES) needs a known activity, not 0"))
        if accommodation == "0":
            problems.append(("accommodation", "in touch (YES) needs a known accommodation, not 0"))
    if age == 17 and accommodation.startswith("Z"):
        problems.append(("accommodation", "Z (with former foster carers) is not used at 17"))
    return problems

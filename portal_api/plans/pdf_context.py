"""What the plan PDF shows: plain data, built by the plans service, rendered by plans/pdf.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PdfAction:
    description: str
    owner: str  # "You", "Your personal adviser (Priya Shah)", or a named person or agency
    due_on: date | None
    need: str | None
    status: str  # not_started, in_progress, done, dropped
    completed_on: date | None = None


@dataclass(frozen=True)
class PdfSuitability:
    consideration: str  # "Facilities", "State of repair", ...
    suitable: bool | None
    note: str | None


@dataclass(frozen=True)
class PdfSection:
    code: str
    title: str  # "Education and training"
    needs: str
    young_person_views: str
    goals: str
    actions: list[PdfAction] = field(default_factory=list)
    suitability: list[PdfSuitability] = field(default_factory=list)  # accommodation only


@dataclass(frozen=True)
class PlanPdfContext:
    organisation_name: str
    brand_colour: str  # "#00703c"
    young_person_name: str
    date_of_birth: date
    version_number: int
    agreed_on: date | None
    next_review_due_on: date | None
    personal_adviser_name: str | None
    personal_adviser_phone: str | None
    personal_adviser_email: str | None
    office_phone: str | None
    out_of_hours_phone: str | None
    language: str  # BCP 47: "en", "ar", "ps"; right to left for ar, ps, fa, ur
    sections: list[PdfSection]

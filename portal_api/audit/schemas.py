"""Append-only audit events and the young person's access log (the subject access export that
reads them is in ``records``). Audit events are never updated or deleted."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from portal_api.common.schemas import ReadSchema


class AccessAction(StrEnum):
    """Every audit action code, ``what.how``: ``read``/``list`` is a look, ``export`` a download,
    anything else a change. A code this list does not know yet reads as ``other``
    (tests/audit/test_access_log.py checks that every code the portal records is here)."""

    access_log__read = "access_log.read"
    accommodation__change = "accommodation.change"
    accommodation__read = "accommodation.read"
    accommodation__satisfaction = "accommodation.satisfaction"
    accommodation_concern__acknowledge = "accommodation_concern.acknowledge"
    accommodation_concern__action = "accommodation_concern.action"
    accommodation_concern__close = "accommodation_concern.close"
    accommodation_concern__raise = "accommodation_concern.raise"
    accommodation_concerns__list = "accommodation_concerns.list"
    accommodation_concerns__read = "accommodation_concerns.read"
    auth__login = "auth.login"
    auth__login_failed = "auth.login_failed"
    auth__logout = "auth.logout"
    auth__logout_everywhere = "auth.logout_everywhere"
    auth__mfa_enabled = "auth.mfa_enabled"
    auth__mfa_enrolment_started = "auth.mfa_enrolment_started"
    auth__password_changed = "auth.password_changed"  # noqa: S105 (a code)
    auth__password_reset = "auth.password_reset"  # noqa: S105 (a code)
    auth__password_reset_requested = "auth.password_reset_requested"  # noqa: S105 (a code)
    auth__password_reset_started = "auth.password_reset_started"  # noqa: S105 (a code)
    caseload__read = "caseload.read"
    check_in_rhythm__read = "check_in_rhythm.read"
    check_in_rhythm__set = "check_in_rhythm.set"
    contact__create = "contact.create"
    contacts__read = "contacts.read"
    conversations__read = "conversations.read"
    document_type__change = "document_type.change"
    document_type__create = "document_type.create"
    documents__change = "documents.change"
    documents__outstanding__read = "documents.outstanding.read"
    documents__read = "documents.read"
    entitlement__change = "entitlement.change"
    entitlements__read = "entitlements.read"
    follow_up__change = "follow_up.change"
    follow_up__read = "follow_up.read"
    follow_up__resolve = "follow_up.resolve"
    follow_ups__list = "follow_ups.list"
    invite__accept = "invite.accept"
    invite__create = "invite.create"
    invite__read = "invite.read"
    local_offer_activity__read = "local_offer_activity.read"
    message__flag = "message.flag"
    message__hide = "message.hide"
    message__send = "message.send"
    messages__flagged__read = "messages.flagged.read"
    messages__read = "messages.read"
    observation__create = "observation.create"
    observations__read = "observations.read"
    organisation__change = "organisation.change"
    overview__read = "overview.read"
    plan__approve = "plan.approve"
    plan__draft__change = "plan.draft.change"
    plan__draft__create = "plan.draft.create"
    plan__pdf__read = "plan.pdf.read"
    plan__read = "plan.read"
    plan__receipt = "plan.receipt"
    plan__review_request = "plan.review_request"
    plan__submit = "plan.submit"
    plan__version__read = "plan.version.read"
    plan__versions__read = "plan.versions.read"
    plans__caseload__read = "plans.caseload.read"
    preferences__change = "preferences.change"
    provider__change = "provider.change"
    provider__concerns__read = "provider.concerns.read"
    provider__create = "provider.create"
    reports__export__annex_a_list_9 = "reports.export.annex_a_list_9"
    reports__export__ssda903_oc3 = "reports.export.ssda903_oc3"
    providers__overview__read = "providers.overview.read"
    reports__young_people__read = "reports.young_people.read"
    scheme__change = "scheme.change"
    scheme__create = "scheme.create"
    scheme__visit = "scheme.visit"
    staff__change = "staff.change"
    staff__create = "staff.create"
    staff__mfa_reset = "staff.mfa_reset"
    subject_access__export = "subject_access.export"
    team__create = "team.create"
    young_people__import = "young_people.import"
    young_people__list = "young_people.list"
    young_person__change = "young_person.change"
    young_person__create = "young_person.create"
    young_person__read = "young_person.read"
    young_person__summary__read = "young_person.summary.read"
    other = "other"


class AccessLogEntry(ReadSchema):
    """One member of staff's looks and changes on one day in London: opening every part of a case is
    one line, not one per part."""

    on: date = Field(description="the day in London (Europe/London), as the young person counts it")
    at: datetime = Field(description="their last look or change that day")
    action: AccessAction = Field(description="their last action that day")
    actions: list[AccessAction] = Field(description="every kind of action that day, first first")
    count: int = Field(description="how many looks and changes that day")
    staff_name: str
    staff_role: str
    duty_cover: bool = Field(
        description="they read it covering for a colleague, not as the young person's own PA"
    )

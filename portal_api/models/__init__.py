"""Every table, one module per aggregate, imported here so Alembic and the mappers see one registry."""

from portal_api.models.audit import AuditEvent
from portal_api.models.document import (
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    DocumentType,
    OriginalLocation,
)
from portal_api.models.follow_up import FollowUp, FollowUpKind
from portal_api.models.local_offer import (
    EntitlementRecord,
    EntitlementStatus,
    LocalOfferResponse,
    LocalOfferView,
    PageResponse,
)
from portal_api.models.organisation import Organisation, Team
from portal_api.models.plan import (
    ActionOwner,
    ActionStatus,
    PlanAction,
    PlanPdf,
    PlanReceipt,
    PlanResponse,
    PlanResponseKind,
    PlanReviewRequest,
    PlanSection,
    PlanSource,
    PlanState,
    PlanVersion,
    ReceiptHow,
)
from portal_api.models.user import (
    STAFF_ROLE_NAMES,
    AccessToken,
    Invite,
    Role,
    TeamMembership,
    User,
)
from portal_api.models.young_person import (
    Allocation,
    CarePeriod,
    Contact,
    StatusObservation,
    YoungPerson,
)

__all__ = [
    "STAFF_ROLE_NAMES",
    "AccessToken",
    "ActionOwner",
    "ActionStatus",
    "Allocation",
    "AuditEvent",
    "CarePeriod",
    "Contact",
    "DocumentEvent",
    "DocumentEventKind",
    "DocumentItem",
    "DocumentState",
    "DocumentType",
    "EntitlementRecord",
    "EntitlementStatus",
    "FollowUp",
    "FollowUpKind",
    "Invite",
    "LocalOfferResponse",
    "LocalOfferView",
    "Organisation",
    "OriginalLocation",
    "PageResponse",
    "PlanAction",
    "PlanPdf",
    "PlanReceipt",
    "PlanResponse",
    "PlanResponseKind",
    "PlanReviewRequest",
    "PlanSection",
    "PlanSource",
    "PlanState",
    "PlanVersion",
    "ReceiptHow",
    "Role",
    "StatusObservation",
    "Team",
    "TeamMembership",
    "User",
    "YoungPerson",
]

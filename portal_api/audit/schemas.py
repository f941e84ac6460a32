from __future__ import annotations

from datetime import datetime

from portal_api.common.schemas import ReadSchema


class AccessLogEntry(ReadSchema):
    at: datetime
    action: str
    staff_name: str
    staff_role: str

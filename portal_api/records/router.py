"""Records routes: a young person's subject access export."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal_api.auth.dependencies import CurrentActor
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.people.scope import YoungPersonThemselvesOrForWrite
from portal_api.plans.dependencies import pdf_renderer
from portal_api.records import export

router = APIRouter(prefix="/young-people", tags=["records"])


@router.get(
    "/{yp}/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {}},
            "description": "README.txt, record.json and plans/version-N.pdf for each agreed plan",
        },
        **problem_responses(401, 403, 404),
        503: {"description": "A plan PDF took too long to make; try again"},
    },
)
async def export_record(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    person: YoungPersonThemselvesOrForWrite,
) -> Response:
    """Everything the portal holds about a young person, as a zip (subject access).

    The young person may download their own copy at any time; it leaves out what the app keeps
    from them (safeguarding flags, hidden messages' words, unshared drafts, contact notes, audit
    detail) and says so in README.txt. Staff who may change the record (their own PA, a manager
    over their team; not duty cover) get the full copy, to review before disclosure. Audited as
    `subject_access.export`.
    """
    made = await export.subject_access_export(session, pdf_renderer(request), actor, person)
    return Response(
        made.content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            # A whole record: never kept by a browser or a proxy on the way.
            "Cache-Control": "no-store",
        },
    )

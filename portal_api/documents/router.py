"""Documents by 18: the checklist, changes to it, the outstanding list and the catalogue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response, status

from portal_api.auth.dependencies import CaseworkStaff, CurrentActor, CurrentAdmin
from portal_api.common.kept import keep_until, next_midnight
from portal_api.common.responses import json_of
from portal_api.db.base import utcnow
from portal_api.db.session import SessionDep
from portal_api.documents import catalogue, checklist, service
from portal_api.documents.schemas import (
    Checklist,
    DocumentTypeCreate,
    DocumentTypeRead,
    DocumentTypeUpdate,
    DocumentUpdate,
    OutstandingRow,
)
from portal_api.errors import problem_responses
from portal_api.people.scope import YoungPersonId, YoungPersonThemselvesOrForWrite

router = APIRouter(tags=["documents"])


@router.get(
    "/young-people/{yp}/documents",
    response_model=Checklist,
    responses=problem_responses(401, 403, 404),
)
async def get_documents(
    request: Request, session: SessionDep, actor: CurrentActor, yp: YoungPersonId
) -> Response:
    """The documents a young person should have by 18: where each stands and what is next."""
    found = await checklist.checklist(session, actor, yp)
    keep_until(request, next_midnight(utcnow()))  # what is due moves with the date
    return json_of(found)


@router.patch(
    "/young-people/{yp}/documents/{type}",
    response_model=Checklist,
    responses=problem_responses(401, 403, 404, 412, 422),
)
async def update_document(
    session: SessionDep,
    actor: CurrentActor,
    person: YoungPersonThemselvesOrForWrite,
    type: Annotated[str, Path(max_length=60, description="the document type's key")],
    body: DocumentUpdate,
    if_match: Annotated[str | None, Header()] = None,
) -> Checklist:
    """Staff change an item's state (send If-Match); a young person says "I have it" or
    "I need help", which their PA sees."""
    return await service.update(session, actor, person, type, body, if_match)


@router.get(
    "/documents/outstanding",
    response_model=list[OutstandingRow],
    responses=problem_responses(401, 403),
)
async def list_outstanding_documents(
    session: SessionDep, actor: CaseworkStaff
) -> list[OutstandingRow]:
    """Young people aged 17 to 18 with documents still outstanding, nearest 18th birthday first."""
    return await service.outstanding(session, actor)


@router.get(
    "/document-types", response_model=list[DocumentTypeRead], responses=problem_responses(401)
)
async def list_document_types(session: SessionDep, actor: CurrentActor) -> list[DocumentTypeRead]:
    """The organisation's catalogue of documents, including retired types."""
    types = await catalogue.catalogue(session, actor.user.org_id, include_retired=True)
    return [catalogue.type_read(t) for t in types]


@router.post(
    "/document-types",
    response_model=DocumentTypeRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_document_type(
    session: SessionDep, actor: CurrentAdmin, body: DocumentTypeCreate
) -> DocumentTypeRead:
    """Add a document type; it appears on the checklist of everyone it applies to."""
    return await catalogue.add_type(session, actor, body)


@router.patch(
    "/document-types/{key}",
    response_model=DocumentTypeRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_document_type(
    session: SessionDep,
    actor: CurrentAdmin,
    key: Annotated[str, Path(max_length=60)],
    body: DocumentTypeUpdate,
) -> DocumentTypeRead:
    """Reword or retire a document type (retired types stay in young people's history)."""
    return await catalogue.change_type(session, actor, key, body)

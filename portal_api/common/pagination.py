"""Offset pagination for staff lists (the console pages through a caseload or a team)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.schemas import MAX_ID, MAX_INT
from portal_api.config import SettingsDep
from portal_api.errors import InvalidInput

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int

    async def count(self, session: AsyncSession, query: Select[Any]) -> int:
        total = await session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        return int(total or 0)


async def _page_params(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=MAX_INT, description="How many to return")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip")] = 0,
) -> PageParams:
    if limit > settings.max_page_size:
        raise InvalidInput("query.limit", f"must be at most {settings.max_page_size}")
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]

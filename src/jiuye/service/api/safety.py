"""Routes of fund-safety hits: the list for a region, and a person's disposition."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from jiuye.service import safety
from jiuye.service.api.deps import CallerDep, Id, SessionDep
from jiuye.service.models import SafetyHit

__all__ = ["router"]

router = APIRouter(prefix="/safety", tags=["资金安全"])


class HitPublic(BaseModel):
    id: int
    rule: str
    mode: str
    application_id: int | None
    evidence: dict[str, Any]
    disposition: str
    note: str | None
    disposed_at: dt.datetime | None


class Disposition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disposition: Literal["cleared", "confirmed"]
    note: str = Field(max_length=500, description="核实情况")


def _public(hit: SafetyHit) -> HitPublic:
    return HitPublic(
        id=hit.id,
        rule=hit.rule,
        mode=hit.mode,
        application_id=hit.application_id,
        evidence=json.loads(hit.evidence),
        disposition=hit.disposition,
        note=hit.note,
        disposed_at=hit.disposed_at,
    )


@router.get("/hits", operation_id="listSafetyHits", response_model=list[HitPublic])
def list_hits(
    caller: CallerDep, session: SessionDep, open_only: bool = True, application_id: Id | None = None
) -> list[HitPublic]:
    """本辖区的资金安全核查结果（审核、审计、财务）；可只看一件申请的。"""
    found = safety.list_hits(session, caller, open_only=open_only, application_id=application_id)
    return [_public(h) for h in found]


@router.post("/hits/{hit_id}/disposition", operation_id="disposeSafetyHit", response_model=HitPublic)
def dispose(hit_id: Id, body: Disposition, caller: CallerDep, session: SessionDep) -> HitPublic:
    """处置：cleared（核实无误，阻断解除）或 confirmed（确认问题），写明核实情况；记入审计日志。"""
    return _public(safety.dispose(session, caller, hit_id, body.disposition, body.note))

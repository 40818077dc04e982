"""Request and response bodies: ``XCreate`` in, ``XPublic`` out (masked; secrets never public)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AuditReport", "Me", "Revealed", "SubjectCreate", "SubjectPublic", "Token", "UnmaskRequest", "VerifyRequest"]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="有效期（秒）")


class Me(BaseModel):
    username: str
    role: str
    region: str
    subject_id: int | None


class SubjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "enterprise"] = Field(
        description="person 个人（公民身份号码），enterprise 单位（统一社会信用代码）"
    )
    number: str = Field(min_length=15, max_length=18, description="公民身份号码或统一社会信用代码")
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(pattern=r"^\d{6}$", description="所在地行政区划代码（GB/T 2260）")
    phone: str | None = Field(default=None, pattern=r"^\d{7,15}$")
    address: str | None = Field(default=None, max_length=300)


class SubjectPublic(BaseModel):
    """What any authorised caller sees: numbers masked."""

    id: int
    kind: str
    name: str
    region: str
    number: str = Field(description="脱敏号码，如 4501**********1234")
    phone: str | None = Field(description="脱敏电话，如 138****5678")
    birth_date: dt.date | None
    identity_status: str = Field(description="身份核验：verified 已核验，pending 待经办人员人工核验")


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=200, description="核验依据（记入审计日志），如“已现场核对营业执照原件”")


class UnmaskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=200, description="查看完整号码的事由（记入审计日志）")


class Revealed(BaseModel):
    subject_id: int
    number: str
    phone: str | None


class AuditReport(BaseModel):
    intact: bool
    events: int
    broken_at: int | None
    message: str

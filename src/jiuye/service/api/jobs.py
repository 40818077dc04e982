"""Routes of job aggregation and matching: import a channel's file, list postings, jobs for a
graduate, graduates for a job, targeted pushes (桂人社发〔2025〕38号（十四）（十五）（十七））."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from jiuye.jobs.model import Posting
from jiuye.jobs.parsing import format_education, format_experience, format_headcount, format_salary
from jiuye.service import assistance, job_matching, jobs
from jiuye.service.api.assistance import PushPublic, push_public
from jiuye.service.api.deps import CallerDep, Id, SessionDep, today
from jiuye.service.errors import ForbiddenError, InputError

__all__ = ["router"]

router = APIRouter(tags=["人岗匹配"])
_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".jsonl")


class PostingPublic(BaseModel):
    id: str
    title: str
    employer: str
    region: str | None
    place: str
    salary: str | None = Field(description="薪资（原样格式）")
    experience: str | None
    education: str | None
    headcount: str | None
    occupation_code: str | None = Field(description="职业分类大典（2022年版）编码")
    directions: list[str] = Field(description="岗位开发方向（国就劳发〔2025〕2号 二）")
    skills: list[str]
    open_on: dt.date | None
    close_on: dt.date | None


class ImportReport(BaseModel):
    summary: str
    imported: int
    rejected: int
    problems: list[str] = Field(description="有误的行（文件、行号、字段），至多 100 条")
    added: int
    updated: int
    unchanged: int


class JobRecommendation(BaseModel):
    posting: PostingPublic
    score: float
    explanation: list[str] = Field(description="推荐理由（中文，逐行）")


class CandidateRecommendation(BaseModel):
    graduate_id: int
    score: float
    explanation: list[str]


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(default="短信", max_length=16, description="推送方式")


def posting_public(p: Posting) -> PostingPublic:
    return PostingPublic(
        id=p.id, title=p.title, employer=p.employer, region=p.region, place=p.place,
        salary=format_salary(p.salary) if p.salary else None,
        experience=format_experience(p.experience) if p.experience else None,
        education=format_education(p.education) if p.education else None,
        headcount=format_headcount(p.headcount) if p.headcount else None,
        occupation_code=p.occupation_code, directions=list(p.directions), skills=list(p.skills),
        open_on=p.open_on, close_on=p.close_on,
    )  # fmt: skip


@router.post("/jobs/postings/import", operation_id="importPostings", response_model=ImportReport)
async def import_postings(
    file: UploadFile,
    channel: Annotated[str, Form(max_length=32, description="来源渠道，如 51job、零工市场、单位自报")],
    caller: CallerDep,
    session: SessionDep,
    strict: Annotated[bool, Form(description="有任何一行有误即整批不导入")] = False,
) -> ImportReport:
    """导入一个渠道的岗位文件（Excel、CSV、JSON）：逐字段解析、职业分类、跨渠道去重后入库（经办人员）。"""
    name = Path(file.filename or "upload").name
    if Path(name).suffix.lower() not in _SUFFIXES:
        msg = f"文件“{name}”的类型不支持；提示：上传 {'、'.join(_SUFFIXES)} 文件"
        raise InputError(msg)
    data = await file.read()
    with tempfile.TemporaryDirectory(prefix="jiuye-postings-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result, stored = jobs.import_posting_files(session, caller, [path], channel=channel, strict=strict)
    return ImportReport(
        summary=result.summary(), imported=result.imported, rejected=result.rejected,
        problems=[str(p) for p in result.problems[:100]], added=stored.added, updated=stored.updated,
        unchanged=stored.unchanged,
    )  # fmt: skip


@router.get("/jobs/postings", operation_id="listPostings", response_model=list[PostingPublic])
def list_postings(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    region: str | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[PostingPublic]:
    """今天在招的岗位（可按地区筛选）。"""
    found = jobs.postings_by_id(session, today=today(request), region=region)
    return [posting_public(p) for p in list(found.values())[:limit]]


class PostingIndexStatus(BaseModel):
    state: str = Field(description="empty（未建立）、building（建立中）、ready（可用）、failed（失败，下次请求时重建）")
    postings: int = Field(description="索引中的岗位数（含尚未开始招聘的）")
    build_seconds: float = Field(description="建立用时（秒）")
    warming: bool = Field(description="是否正在后台预先计算词语得分（建立后与每次岗位变动后）")


@router.get("/jobs/postings/index", operation_id="postingIndexStatus", response_model=PostingIndexStatus)
def posting_index_status(request: Request, caller: CallerDep) -> PostingIndexStatus:
    """岗位索引的状态（服务启动后在后台建立；建立期间推荐请求会等待或提示稍后再试；工作人员）。"""
    if not caller.is_staff:
        msg = "只有工作人员可以查看岗位索引状态"
        raise ForbiddenError(msg)
    resident = request.app.state.posting_index
    return PostingIndexStatus(
        state=resident.state,
        postings=len(resident.revisions),
        build_seconds=round(resident.build_seconds, 3),
        warming=resident.warming,
    )


@router.get(
    "/graduates/{graduate_id}/recommendations", operation_id="recommendJobs", response_model=list[JobRecommendation]
)
def recommend_jobs(
    graduate_id: Id, request: Request, caller: CallerDep, session: SessionDep, k: int = Query(default=10, ge=1, le=50)
) -> list[JobRecommendation]:
    """为台账中的毕业生推荐在招岗位：满足全部硬性条件，不含已推送过的，逐条说明理由。"""
    matches = job_matching.jobs_for_graduate(session, caller, graduate_id, today=today(request), k=k)
    return [
        JobRecommendation(
            posting=posting_public(m.posting), score=round(m.score, 4), explanation=m.explanation.text().splitlines()
        )
        for m in matches
    ]


@router.get(
    "/jobs/postings/{posting_id}/candidates", operation_id="recommendSeekers",
    response_model=list[CandidateRecommendation],
)  # fmt: skip
def recommend_seekers(
    posting_id: str, request: Request, caller: CallerDep, session: SessionDep, k: int = Query(default=10, ge=1, le=50)
) -> list[CandidateRecommendation]:
    """为岗位推荐本辖区台账中仍在帮扶的毕业生（双方的硬性条件都满足；工作人员）。"""
    matches = job_matching.seekers_for_posting(session, caller, posting_id, today=today(request), k=k)
    return [
        CandidateRecommendation(graduate_id=g, score=round(m.score, 4), explanation=m.explanation.text().splitlines())
        for g, m in matches
    ]


@router.post(
    "/graduates/{graduate_id}/pushes", operation_id="pushJobs", response_model=list[PushPublic], status_code=201
)
def push_jobs(
    graduate_id: Id, body: PushRequest, request: Request, caller: CallerDep, session: SessionDep
) -> list[PushPublic]:
    """推送 3—5 个针对性岗位（gx38（十七））：均满足硬性条件、单位与职业各不相同、从未推送过、未截止。"""
    pushes = assistance.push_jobs(
        session, caller, graduate_id, today=today(request), choose=job_matching.targeted_chooser,
        channel=body.channel,
    )  # fmt: skip
    return [push_public(p) for p in pushes]

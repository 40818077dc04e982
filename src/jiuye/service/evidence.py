"""Evidence files on an application: checked by what the bytes are (not by the name or the type
the browser claims), bounded in size, stored with their SHA-256, every upload audited.

Who: the claimant of the application (their own subject's, as :func:`get_application` scopes
it) uploads and downloads; staff of the application's region download. When: only while the
claim can still change or is being examined (draft, returned, submitted, checked, in review):
what was shown at the notice and approved is not altered afterwards.
"""

from __future__ import annotations

import hashlib
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases import State
from jiuye.service.auth import Caller
from jiuye.service.casework import audit, get_application
from jiuye.service.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from jiuye.service.models import EvidenceFile

__all__ = [
    "EVIDENCE_STATES",
    "MAX_EVIDENCE_BYTES",
    "MAX_FILES_PER_APPLICATION",
    "EvidenceTooLargeError",
    "EvidenceTypeError",
    "add_evidence",
    "evidence_file",
    "list_evidence",
    "sniff",
]

#: Named assumption (no document sets one): a scanned contract or certificate fits in 10 MB.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: Named assumption: a claim's evidence is a handful of documents, not an archive.
MAX_FILES_PER_APPLICATION = 30
EVIDENCE_STATES = frozenset({State.DRAFT, State.RETURNED, State.SUBMITTED, State.AUTO_CHECKED, State.IN_REVIEW})
_CLAIMANTS = ("enterprise", "individual")


class EvidenceTooLargeError(InputError):
    status = 413
    code = "EVIDENCE_TOO_LARGE"


class EvidenceTypeError(InputError):
    status = 415
    code = "EVIDENCE_TYPE"


def sniff(data: bytes) -> str | None:
    """The media type the content itself shows (magic numbers), or None for anything else.

    >>> sniff(b"%PDF-1.7\\n..."), sniff(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff(b"\\xff\\xd8\\xff\\xe0"), sniff(b"MZ")
    ('application/pdf', 'image/png', 'image/jpeg', None)
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _clean_name(filename: str, media_type: str) -> str:
    """The file's own name, without folders or control characters, bounded; a name for a nameless file."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()[:150]
    return base or "证明材料." + media_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")


def add_evidence(session: Session, caller: Caller, application_id: int, filename: str, data: bytes) -> EvidenceFile:
    app = get_application(session, caller, application_id)
    if caller.role not in _CLAIMANTS or caller.subject_id != app.subject_id:
        msg = "只能为本单位或本人的申请上传证明材料"
        raise ForbiddenError(msg)
    if State(app.state) not in EVIDENCE_STATES:
        msg = f"申请当前状态为“{State(app.state).label}”，不能再上传材料；提示：草稿、退回补正或审核完成前可以上传"
        raise ConflictError(msg)
    if not data:
        msg = "文件是空的；提示：选择要上传的 PDF、JPG 或 PNG 文件"
        raise InputError(msg)
    if len(data) > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // 1048576
        msg = f"文件大小 {len(data) / 1048576:.1f} MB，超过 {limit} MB 的上限；提示：压缩或分页扫描后上传"
        raise EvidenceTooLargeError(msg)
    media_type = sniff(data)
    if media_type is None:
        msg = "文件内容不是 PDF、JPG 或 PNG（按文件内容判断，与扩展名无关）；提示：另存为 PDF 或图片后上传"
        raise EvidenceTypeError(msg)
    count = session.scalar(select(func.count()).where(EvidenceFile.application_id == app.id)) or 0
    if count >= MAX_FILES_PER_APPLICATION:
        msg = f"每件申请最多 {MAX_FILES_PER_APPLICATION} 个文件；提示：合并为一个 PDF 后上传"
        raise ConflictError(msg)
    digest = hashlib.sha256(data).hexdigest()
    row = EvidenceFile(
        application_id=app.id, filename=_clean_name(filename, media_type), media_type=media_type,
        size=len(data), sha256=digest, uploaded_by=caller.user_id, content=data,
    )  # fmt: skip
    session.add(row)
    session.flush()
    detail = {"file": row.id, "sha256": digest, "size": len(data), "type": media_type}
    audit(session, caller, "application.evidence", app, detail)
    return row


def list_evidence(session: Session, caller: Caller, application_id: int) -> list[EvidenceFile]:
    app = get_application(session, caller, application_id)
    query = select(EvidenceFile).where(EvidenceFile.application_id == app.id).order_by(EvidenceFile.id)
    return list(session.scalars(query))


def evidence_file(session: Session, caller: Caller, application_id: int, file_id: int) -> EvidenceFile:
    """One file with its bytes, of an application the caller may see (else not found)."""
    app = get_application(session, caller, application_id)
    row = session.get(EvidenceFile, file_id)
    if row is None or row.application_id != app.id:
        msg = f"材料 {file_id} 不存在或不在您的权限范围内"
        raise NotFoundError(msg)
    if caller.is_staff:  # staff reading a claimant's documents leaves a trace, as revealing a number does
        audit(session, caller, "application.evidence_read", app, {"file": row.id})
    return row

"""Evidence files a claimant attaches to an application (合同、证书、流水……).

The bytes are kept in the database, beside their SHA-256: the upload, its audit event and the
file commit or fail together (no orphan file, no row without its file), a backup of the
database is a backup of the evidence, and the claim's size bound (see
:mod:`jiuye.service.evidence`) keeps the table within what both databases hold comfortably.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from jiuye.service.models.base import Base, Timestamped

__all__ = ["EvidenceFile"]


class EvidenceFile(Timestamped, Base):
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned of paths and controls
    media_type: Mapped[str] = mapped_column(String(40))  # from the content, never from the browser
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Deferred: lists of files never load the bytes.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

"""One settings object for the service, read from the environment.

``DATABASE_URL`` selects the database (SQLite file by default, PostgreSQL in production:
``postgresql+psycopg://user@host/db``). Secrets are derived from one master key: the
``JIUYE_MASTER_KEY`` variable (64 hex digits), or else a key file created once, readable by
its owner only, in the data directory. Losing it makes encrypted identifiers unreadable:
back it up with the database.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jiuye.errors import JiuyeError

__all__ = ["DEFAULT_MAX_CLAIM_PERSONS", "Settings", "SettingsError"]

_KEY_FILE = "master.key"
#: Named assumption (a local setting, JIUYE_MAX_CLAIM_PERSONS): the most persons one claim's facts
#: may name. A large enterprise's yearly hires fit; the engine's time and memory stay bounded.
DEFAULT_MAX_CLAIM_PERSONS = 5000


class SettingsError(JiuyeError):
    code = "SETTINGS_INVALID"


def _derive(master: bytes, purpose: str) -> bytes:
    """An independent 32-byte key per purpose (token signing, blind index, encryption)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(master)


def _master_key(data_dir: Path) -> bytes:
    text = os.environ.get("JIUYE_MASTER_KEY")
    if text:
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != 32:
            msg = (
                "环境变量 JIUYE_MASTER_KEY 格式不正确；"
                "提示：应为64位十六进制数字（32字节），可用 openssl rand -hex 32 生成"
            )
            raise SettingsError(msg)
        return key
    path = data_dir / _KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    master_key: bytes = field(repr=False)
    token_minutes: int = 60
    payer_account: str = ""  # the fund's account the bank debits (JIUYE_PAYER_ACCOUNT)
    max_claim_persons: int = DEFAULT_MAX_CLAIM_PERSONS

    @classmethod
    def from_env(cls, data_dir: Path | None = None) -> Settings:
        folder = Path(data_dir or os.environ.get("JIUYE_DATA_DIR") or ".jiuye")
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{(folder / 'jiuye.db').as_posix()}"
        minutes = int(os.environ.get("JIUYE_TOKEN_MINUTES", "60"))
        payer = os.environ.get("JIUYE_PAYER_ACCOUNT", "")
        most = os.environ.get("JIUYE_MAX_CLAIM_PERSONS", str(DEFAULT_MAX_CLAIM_PERSONS))
        if not most.isdigit() or int(most) < 1:
            msg = f"环境变量 JIUYE_MAX_CLAIM_PERSONS 应为正整数，实为 {most!r}；提示：如 5000"
            raise SettingsError(msg)
        return cls(
            database_url=url,
            data_dir=folder,
            master_key=_master_key(folder),
            token_minutes=minutes,
            payer_account=payer,
            max_claim_persons=int(most),
        )

    @property
    def token_key(self) -> bytes:
        return _derive(self.master_key, "jiuye token signing")

    @property
    def index_key(self) -> bytes:
        return _derive(self.master_key, "jiuye blind index")

    @property
    def fingerprint_key(self) -> bytes:
        return _derive(self.master_key, "jiuye payment fingerprint")

    @property
    def encryption_key(self) -> bytes:
        return _derive(self.master_key, "jiuye field encryption")

    @property
    def audit_key(self) -> bytes:
        """Keys the audit chain (HMAC): kept outside the database, so a database writer cannot
        re-seal an edited event."""
        return _derive(self.master_key, "jiuye audit chain")

    @property
    def code_key(self) -> bytes:
        """Keys the stored hashes of registration codes (a 6-digit code hashed without a key is
        found by trying all million)."""
        return _derive(self.master_key, "jiuye registration code")

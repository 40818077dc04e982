"""Service settings: the database URL and the keys derived from one master key."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiuye.service.protect import Protector
from jiuye.service.settings import Settings, SettingsError


def test_defaults_to_a_sqlite_file_and_a_private_key_file_kept_across_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JIUYE_MASTER_KEY", raising=False)
    first = Settings.from_env(tmp_path)
    assert first.database_url == f"sqlite:///{(tmp_path / 'jiuye.db').as_posix()}"
    assert Settings.from_env(tmp_path).master_key == first.master_key
    assert "master_key" not in repr(first), "密钥不得出现在日志或错误信息中"


def test_each_purpose_has_its_own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_MASTER_KEY", "ab" * 32)
    settings = Settings.from_env(tmp_path)
    keys = {settings.token_key, settings.index_key, settings.encryption_key}
    assert len(keys) == 3 and all(len(k) == 32 for k in keys)
    assert not (tmp_path / "master.key").exists()


def test_a_malformed_master_key_is_refused_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_MASTER_KEY", "not-hex")
    with pytest.raises(SettingsError, match="JIUYE_MASTER_KEY 格式不正确"):
        Settings.from_env(tmp_path)


def test_blind_indexes_depend_on_the_key_and_the_kind() -> None:
    one, other = Protector(b"a" * 32, b"e" * 32), Protector(b"b" * 32, b"e" * 32)
    number = "11010519491231002X"
    assert one.blind_index("id_number", number) != other.blind_index("id_number", number)
    assert one.blind_index("id_number", "13800138000") != one.blind_index("phone", "13800138000")
    assert number not in one.seal(number)


def test_the_persons_bound_of_a_claim_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_MASTER_KEY", "ab" * 32)
    monkeypatch.delenv("JIUYE_MAX_CLAIM_PERSONS", raising=False)
    assert Settings.from_env(tmp_path).max_claim_persons == 5000  # the named assumption's default
    monkeypatch.setenv("JIUYE_MAX_CLAIM_PERSONS", "300")
    assert Settings.from_env(tmp_path).max_claim_persons == 300
    for bad in ("0", "many", "-5"):
        monkeypatch.setenv("JIUYE_MAX_CLAIM_PERSONS", bad)
        with pytest.raises(SettingsError, match="JIUYE_MAX_CLAIM_PERSONS"):
            Settings.from_env(tmp_path)

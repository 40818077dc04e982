"""The bundled parameters' cache (:mod:`jiuye.params.cache`): it gives back exactly the parsed
set, any change to what the set depends on is a new key, and a cache that cannot be read or
written is passed over: the files are then parsed as before."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from jiuye.errors import ParameterError
from jiuye.params import cache, loader
from jiuye.params.model import ParameterSet

FILES = loader.parameter_files()


@pytest.fixture(scope="module")
def parsed() -> ParameterSet:
    return loader.parse_bundled(FILES)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path))
    return tmp_path


def _counting(calls: list[int]) -> ParameterSet:
    calls.append(1)
    return loader.parse_bundled(FILES)


def test_the_second_load_reads_the_set_the_first_parsed(folder: Path, parsed: ParameterSet) -> None:
    calls: list[int] = []
    first = cache.cached(FILES, lambda: _counting(calls))
    second = cache.cached(FILES, lambda: _counting(calls))
    assert calls == [1]
    assert second is not first
    assert second == first == parsed
    assert [p.name for p in folder.iterdir()] == [f"parameters-{cache.cache_key(FILES)}.pickle"]


def test_load_parameters_gives_the_parsed_set(parsed: ParameterSet) -> None:
    assert loader.load_parameters() == parsed


def test_any_change_to_a_file_is_a_new_key() -> None:
    origin, text = FILES[0]
    assert cache.cache_key(list(FILES)) == cache.cache_key(FILES)
    assert cache.cache_key([(origin, text + "\n"), *FILES[1:]]) != cache.cache_key(FILES)
    assert cache.cache_key([(origin + "x", text), *FILES[1:]]) != cache.cache_key(FILES)
    assert cache.cache_key(FILES[1:]) != cache.cache_key(FILES)


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", pickle.dumps({"params": {}})], ids=["empty", "junk", "other"]
)
def test_a_damaged_or_foreign_entry_is_parsed_over(folder: Path, parsed: ParameterSet, content: bytes) -> None:
    entry = folder / f"parameters-{cache.cache_key(FILES)}.pickle"
    entry.write_bytes(content)
    assert cache.cached(FILES, lambda: loader.parse_bundled(FILES)) == parsed
    assert pickle.loads(entry.read_bytes()) == parsed  # and replaced by a good one


def test_an_unwritable_cache_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: ParameterSet
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached(FILES, lambda: loader.parse_bundled(FILES)) == parsed


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIUYE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() is None
    cache.cached(FILES, lambda: loader.parse_bundled(FILES))
    assert list(tmp_path.iterdir()) == []


def test_the_default_place_is_the_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JIUYE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "jiuye"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "jiuye"


def test_a_bad_file_raises_and_nothing_is_stored(folder: Path) -> None:
    def broken() -> ParameterSet:
        raise ParameterError("坏文件")

    with pytest.raises(ParameterError):
        cache.cached(FILES, broken)
    assert list(folder.iterdir()) == []


def test_only_the_latest_sets_are_kept(folder: Path) -> None:
    for n in range(cache.KEEP + 3):
        old = folder / f"parameters-old{n}.pickle"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    cache.cached(FILES, lambda: loader.parse_bundled(FILES))
    kept = {p.name for p in folder.glob("parameters-*.pickle")}
    assert len(kept) == cache.KEEP
    assert f"parameters-{cache.cache_key(FILES)}.pickle" in kept
    assert "parameters-old0.pickle" not in kept

"""The bundled parameters, parsed and checked once, then kept: a cold ``jiuye eval`` unpickles
them (a few ms) instead of parsing and validating every ``*.params.yaml`` file (~30 ms).

The key is the content of everything the result depends on: each bundled parameter file, the
documents list (a value is known from its document's date), the source of the modules that parse
and hold them, and the Python and PyYAML versions; any change is a new key, never a stale hit. The
cache lives in ``JIUYE_CACHE_DIR`` (set but empty: no cache), else ``$XDG_CACHE_HOME/jiuye`` or
``~/.cache/jiuye``. Whatever goes wrong reading or writing it, the files are parsed as before.
The directory is the user's own: what is unpickled from it is trusted as their other files are.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from jiuye.params import model

__all__ = ["KEEP", "cache_dir", "cache_key", "cached"]

#: How many cached sets a cache directory keeps (worktrees and versions side by side).
KEEP = 8
_FORMAT = 1  # bump when what is pickled changes shape without a source change above


def cache_dir() -> Path | None:
    """Where the cache lives, or None when ``JIUYE_CACHE_DIR`` is set empty (no cache)."""
    chosen = os.environ.get("JIUYE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jiuye"


def _sources() -> list[bytes]:
    """What else decides the parsed result: the documents list (and how it is read) and the
    parsing code."""
    policies = importlib.resources.files("jiuye.policies")
    documents = [policies.joinpath(name).read_bytes() for name in ("documents.yaml", "documents.py")]
    here = Path(__file__)
    code = [here.with_name(name).read_bytes() for name in ("loader.py", "model.py", here.name)]
    return [*documents, *code]


def cache_key(files: Sequence[tuple[str, str]]) -> str:
    """A digest of the bundled files (origin, text) and of what else the result depends on."""
    digest = hashlib.sha256(f"jiuye parameters {_FORMAT} {sys.version_info[:2]} {yaml.__version__}".encode())
    for origin, text in files:
        digest.update(b"\0" + origin.encode() + b"\0" + text.encode())
    for source in _sources():
        digest.update(b"\0" + hashlib.sha256(source).digest())
    return digest.hexdigest()[:40]


def cached(files: Sequence[tuple[str, str]], build: Callable[[], model.ParameterSet]) -> model.ParameterSet:
    """The parameter set built from ``files``: from the cache when it holds this exact content,
    else ``build()`` (which raises on a bad file, and then nothing is stored)."""
    folder = cache_dir()
    try:
        path = None if folder is None else folder / f"parameters-{cache_key(files)}.pickle"
    except OSError:  # the sources are not plain files (a zipped install): no cache
        path = None
    if folder is None or path is None:
        return build()
    try:
        with path.open("rb") as stored:
            found = pickle.load(stored)
        if isinstance(found, model.ParameterSet):
            return found
    except Exception:  # missing, unreadable, truncated, from another layout: parse instead
        pass
    params = build()
    with contextlib.suppress(OSError, pickle.PicklingError):
        _store(folder, path, params)
    return params


def _store(folder: Path, path: Path, params: model.ParameterSet) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a process reading at the same time sees the old file or the new.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".parameters-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(params, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    kept = sorted(folder.glob("parameters-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)

"""Plans kept on disk between processes: a cold ``jiuye eval`` replays them instead of building.

A measure's plan (:mod:`jiuye.engine.plans`: its epochs, every expression of each, the rendered
labels, the compiled row programs and the explanation's memos) depends only on the code, the
parameters, the evaluation date, the default region and the unit table's columns; building it is
most of a cold single case (issue 13: ~0.45 s for the 37 measures before anything is evaluated).
Each plan is pickled under a key of all of these. What lives in the process is pickled by
reference and reconnected on loading: the measure declarations, their declared conditions, and
the parameter set (the key holds a digest of its values). A function made while building (a
lambda of a condition built for the plan) is stored as :data:`GONE`, which raises if called: the
plan's expressions are already built, and nothing after building calls them (the tests compare
reports from stored plans with fresh ones).

Where: ``plans`` in the cache folder (``$JIUYE_CACHE_DIR``, else ``$XDG_CACHE_HOME/jiuye`` or
``~/.cache/jiuye``); ``JIUYE_CACHE_DIR=`` (set, empty) turns it off. The directory is the user's
own (mode 0700): a pickle is code, trusted as the user's installed packages are. An entry that
cannot be read is ignored and rebuilt; writes go to a temporary file renamed into place, so a
reader never sees half of one.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import pickle
import shutil
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from jiuye.engine.measure import Measure
from jiuye.params import ParameterSet

if TYPE_CHECKING:
    from jiuye.engine.plans import Plan

__all__ = ["GONE", "directory", "load", "plan_key", "remembered", "save"]

T = TypeVar("T")
_log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parents[1]
_PROTOCOL = 5
# Parameter-object ids → (the set, its digest): the set is held so that its ids are not reused.
_digests: dict[tuple[int, ...], tuple[ParameterSet, str]] = {}
_DIGESTS_KEPT = 64  # parameter sets (bundled, local settings, what-ifs); then start over


class _Gone:
    """A function that was not kept with a stored plan."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        msg = f"{self.name} was not kept with the stored plan (rebuild it without the cache: JIUYE_CACHE_DIR=)"
        raise RuntimeError(msg)


GONE = _Gone("a function made while building the plan")


def directory() -> Path | None:
    """Where plans are kept (None: not kept): ``plans`` in the cache folder, ``$JIUYE_CACHE_DIR``
    (set but empty: no cache, as for the parameters' cache), else ``$XDG_CACHE_HOME/jiuye`` or
    ``~/.cache/jiuye``."""
    chosen = os.environ.get("JIUYE_CACHE_DIR")
    if chosen == "":
        return None
    base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jiuye"
    return base / "plans"


@functools.cache
def code_digest() -> str:
    """The code a plan was built by: every module and data file of the package (name, size, time
    of change), Polars' and Python's versions (expressions and compiled code are theirs)."""
    h = hashlib.sha256(f"{pl.__version__}|{sys.version}|{_PROTOCOL}".encode())
    for folder, subfolders, files in os.walk(_PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml", ".yml", ".json", ".csv")):
                stat = os.stat(os.path.join(folder, name))  # noqa: PTH116, PTH118 - a thousand files, each a stat
                h.update(f"{folder[len(str(_PACKAGE)) :]}/{name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _params_digest(params: ParameterSet, ids: tuple[int, ...]) -> str:
    found = _digests.get(ids)
    if found is None:
        text = repr(sorted(params.params.items()))  # frozen dataclasses: every value and citation
        if len(_digests) >= _DIGESTS_KEPT:
            _digests.clear()
        found = _digests[ids] = (params, hashlib.sha256(text.encode()).hexdigest())
    return found[1]


def plan_key(measure: Measure, params: ParameterSet, params_ids: tuple[int, ...], parts: tuple[Any, ...]) -> str:
    """The file name of a plan: the code, the parameters' values, the measure and ``parts``
    (evaluation date, default region, columns, location, event column)."""
    text = repr((code_digest(), _params_digest(params, params_ids), measure.id, measure.unit.value, parts))
    return hashlib.sha256(text.encode()).hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, measure: Measure) -> None:
        super().__init__(file, protocol=_PROTOCOL)
        self.measure = measure
        self.declared = {id(c): i for i, c in enumerate(measure.conditions)}

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, Measure):
            return ("measure", obj.id, obj.unit.value) if obj is self.measure else ("other", obj.id, obj.unit.value)
        if isinstance(obj, ParameterSet):
            return ("params",)
        if id(obj) in self.declared and obj is self.measure.conditions[self.declared[id(obj)]]:
            return ("condition", self.declared[id(obj)])
        if isinstance(obj, types.FunctionType) and ("<" in obj.__qualname__):
            return ("gone", obj.__qualname__)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, measure: Measure, params: ParameterSet) -> None:
        super().__init__(file)
        self.measure, self.params = measure, params

    def persistent_load(self, pid: Any) -> Any:
        kind = pid[0]
        if kind == "measure":
            return self.measure
        if kind == "params":
            return self.params
        if kind == "condition":
            return self.measure.conditions[pid[1]]
        if kind == "gone":
            return _Gone(pid[1])
        raise pickle.UnpicklingError(f"{kind}: not kept by reference")  # another measure: rebuild


def _path(key: str) -> Path | None:
    """Under a folder of the code's digest: entries of other code are never read again."""
    root = directory()
    return None if root is None else root / code_digest()[:16] / key[:2] / f"{key}.pkl"


def _prune(root: Path) -> None:
    """Removes the entries of other code (an upgrade, an edited module) when this code first
    keeps one."""
    for other in root.iterdir():
        if other.is_dir() and other.name != code_digest()[:16]:
            shutil.rmtree(other, ignore_errors=True)


def load(key: str, measure: Measure, params: ParameterSet) -> Plan | None:
    """The stored plan under ``key``, reconnected to ``measure`` and ``params`` (None: none)."""
    path = _path(key)
    if path is None or not path.is_file():
        return None
    try:
        plan = _Unpickler(io.BytesIO(path.read_bytes()), measure, params).load()
    except Exception as exc:  # an entry from another version, cut short, or not ours: rebuild
        _log.warning("plan store: %s ignored (%s)", path.name, exc)
        return None
    return plan  # type: ignore[no-any-return]


def save(key: str, plan: Plan) -> None:
    """Keeps ``plan`` under ``key`` (nothing is kept when it cannot be pickled or written)."""
    path = _path(key)
    if path is None:
        return
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, plan.measure).dump(plan)
        _write(path, buffer.getvalue())
    except Exception as exc:  # a read-only home, a full disk, a memo that cannot be pickled
        _log.warning("plan store: %s not kept (%s at %s)", plan.measure.id, exc, _unpicklable(plan))


def _write(path: Path, data: bytes) -> None:
    """Atomically: a reader sees the whole entry or none."""
    if not path.parent.parent.exists():
        path.parent.parent.mkdir(parents=True, mode=0o700)
        _prune(path.parent.parent.parent)
    path.parent.mkdir(exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False) as out:
        out.write(data)
    Path(out.name).replace(path)


def remembered(name: str, key: Any, build: Callable[[], T]) -> T:
    """What ``build`` returns, kept on disk under ``name`` and ``key`` (a repr-stable value):
    what the code alone decides and every process would otherwise build again (the unit tables'
    dtypes, their derived columns' row programs). Plain pickle: it must refer to no measure."""
    path = _path(hashlib.sha256(repr((code_digest(), name, key)).encode()).hexdigest())
    if path is not None and path.is_file():
        try:
            return pickle.loads(path.read_bytes())  # type: ignore[no-any-return]
        except Exception as exc:
            _log.warning("plan store: %s ignored (%s)", name, exc)
    value = build()
    if path is not None:
        try:
            _write(path, pickle.dumps(value, protocol=_PROTOCOL))
        except Exception as exc:
            _log.warning("plan store: %s not kept (%s)", name, exc)
    return value


def _unpicklable(obj: Any, path: str = "plan", depth: int = 0) -> str:
    """Where in a plan the first object that cannot be pickled is (for the warning)."""
    if depth > 8:
        return path
    children: list[tuple[str, Any]] = []
    if isinstance(obj, dict):
        children = [(f"{path}[{k!r}]", v) for k, v in obj.items()]
    elif isinstance(obj, list | tuple | set | frozenset):
        children = [(f"{path}[{i}]", v) for i, v in enumerate(obj)]
    elif "__reduce__" in type(obj).__dict__:  # pickled as what its __reduce__ gives
        children = [(f"{path}.__reduce__()[1][{i}]", v) for i, v in enumerate(obj.__reduce__()[1])]
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        children = [(f"{path}.{k}", v) for k, v in vars(obj).items()]
    for where, child in children:
        try:
            _Pickler(io.BytesIO(), _NoMeasure()).dump(child)  # type: ignore[arg-type]
        except Exception:
            return _unpicklable(child, where, depth + 1)
    return path


class _NoMeasure:
    conditions: tuple[Any, ...] = ()

"""Every measure of the catalog, discovered from the policy modules (one ``MEASURE`` each)."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from jiuye.engine.measure import Measure
from jiuye.errors import UnknownMeasureError

__all__ = ["all_measures", "get_measure", "module_of"]

_PACKAGES = ("jiuye.policies.gx", "jiuye.policies.xxq", "jiuye.policies.cn")


_MODULES: dict[str, str] = {}


@functools.cache
def _measures() -> dict[str, Measure]:
    found: dict[str, Measure] = {}
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package_name}.{info.name}")
            measure = getattr(module, "MEASURE", None)
            if isinstance(measure, Measure):
                if measure.id in found:
                    msg = f"政策编号重复：{measure.id}"
                    raise RuntimeError(msg)
                found[measure.id] = measure
                _MODULES[measure.id] = module.__name__
    return found


def module_of(measure_id: str) -> str | None:
    """The module that declares a measure (its docstring quotes the clauses)."""
    _measures()
    return _MODULES.get(measure_id)


def all_measures() -> list[Measure]:
    return list(_measures().values())


def get_measure(measure_id: str) -> Measure:
    try:
        return _measures()[measure_id]
    except KeyError:
        raise UnknownMeasureError(measure_id, sorted(_measures())) from None

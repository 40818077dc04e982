"""Every measure of the catalog, discovered from the policy modules (one ``MEASURE`` each).

A measure's module is named after its id (``gx.ui.refund`` → ``jiuye.policies.gx.ui_refund``), so
one measure asked for by id imports its own module only, not the whole catalog
(``jiuye policies show``, ``jiuye eval --measure``); tests hold every measure to the rule.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from jiuye.engine.measure import Measure
from jiuye.errors import UnknownMeasureError

__all__ = ["all_measures", "conventional_module", "get_measure", "module_of"]

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


def conventional_module(measure_id: str) -> str | None:
    """The module a measure's id names (None: the id cannot name one)."""
    jurisdiction, _, rest = measure_id.partition(".")
    package = f"jiuye.policies.{jurisdiction}"
    name = rest.replace(".", "_")
    if package not in _PACKAGES or not name.isidentifier() or not name.isascii():
        return None
    return f"{package}.{name}"


def _by_name(measure_id: str) -> tuple[Measure, str] | None:
    """The measure from the module its id names, if that module declares it."""
    name = conventional_module(measure_id)
    if name is None:
        return None
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists but fails to import: say so
            raise
        return None
    measure = getattr(module, "MEASURE", None)
    if isinstance(measure, Measure) and measure.id == measure_id:
        return measure, name
    return None


def module_of(measure_id: str) -> str | None:
    """The module that declares a measure (its docstring quotes the clauses)."""
    found = _by_name(measure_id)
    if found is not None:
        return found[1]
    _measures()
    return _MODULES.get(measure_id)


def all_measures() -> list[Measure]:
    return list(_measures().values())


def get_measure(measure_id: str) -> Measure:
    found = _by_name(measure_id)
    if found is not None:
        return found[0]
    try:
        return _measures()[measure_id]
    except KeyError:
        raise UnknownMeasureError(measure_id, sorted(_measures())) from None

"""The Polars functions a row program knows (``Function`` nodes), each as Python over atoms.

The set is what the measures, their unit tables and settle use; a new one raises
:class:`~jiuye.engine.rowexpr.program.Unsupported` until it is added here (and to the
differential tests, which compare every compiled program with Polars on random rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jiuye.engine.rowexpr import runtime
from jiuye.engine.rowexpr.program import Unsupported

if TYPE_CHECKING:
    from jiuye.engine.rowexpr.compile import Compiler, Node

__all__ = ["emit", "result_dtype"]

_TEMPORAL_PARTS = {"Year": ("year", "Int32"), "Month": ("month", "Int8"), "Day": ("day", "Int8")}
_BOOLEAN = frozenset({"IsNull", "IsNotNull", "Not", "AnyHorizontal", "AllHorizontal"})


def _name(function: Any) -> tuple[str, Any]:
    """``{"Boolean": "IsNull"}`` → ("IsNull", None); ``{"StringExpr": {"Replace": {...}}}`` → ("Replace", {...})."""
    if isinstance(function, str):
        return function, None
    (group, inner), *_ = function.items()
    if isinstance(inner, str):
        return inner, None
    if isinstance(inner, dict) and len(inner) == 1 and group in ("Boolean", "StringExpr", "TemporalExpr"):
        (name, options), *_ = inner.items()
        return name, options
    return group, inner


def result_dtype(body: Node, inputs: list[str | None]) -> str | None:
    """The function's dtype where it is fixed by the function (None: ask Polars)."""
    name, _ = _name(body["function"])
    if name in _BOOLEAN and (name != "Not" or inputs[0] == "Boolean"):
        return "Boolean"
    if name in ("IsIn", "StartsWith", "EndsWith", "Contains"):
        return "Boolean"
    if name == "LenChars":
        return "UInt32"
    if name in _TEMPORAL_PARTS:
        return _TEMPORAL_PARTS[name][1]
    if name in ("OffsetBy", "MonthStart"):
        return inputs[0]
    if name in ("Format", "ConcatHorizontal", "Replace", "Slice", "Extract"):
        return "String"
    if name in ("Coalesce", "FillNull", "Clip", "MinHorizontal", "MaxHorizontal"):
        known = {d for d in inputs if d != "Null"}
        return known.pop() if len(known) == 1 and None not in known else None
    return None


def emit(c: Compiler, node: Node, body: Node) -> str:
    name, options = _name(body["function"])
    inputs: list[Node] = body["input"]
    handler = _HANDLERS.get(name)
    if handler is None:
        raise Unsupported(f"function {name}")
    return handler(c, node, inputs, options)


def _args(c: Compiler, inputs: list[Node]) -> tuple[str, ...]:
    return tuple(c.emit(i) for i in inputs)


def _is_null(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    return c.assign(f"{a} is None", (a,))


def _is_not_null(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    return c.assign(f"{a} is not None", (a,))


def _not(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    if c.dtype_name(inputs[0]) != "Boolean":
        raise Unsupported("bitwise not")
    return c.strict((a,), f"not {a}")


def _horizontal(fn: str) -> Any:
    def handler(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
        args = _args(c, inputs)
        return c.assign(f"rt.{fn}({', '.join(args)})", args)

    return handler


def _sum_horizontal(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    args = _args(c, inputs)
    if options.get("ignore_nulls", True):
        code = " + ".join(f"({a} or 0)" for a in args)
        return c.numeric(node, c.assign(f"({code})", args))
    return c.numeric(node, c.strict(args, f"({' + '.join(args)})"))


def _extreme(fn: str) -> Any:
    def handler(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
        args = _args(c, inputs)
        present = f"[x for x in ({', '.join(args)},) if x is not None]"
        return c.coerced(node, c.assign(f"({fn}(_p) if (_p := {present}) else None)", args))

    return handler


def _coalesce(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    args = _args(c, inputs)
    code = f"next((x for x in ({', '.join(args)},) if x is not None), None)"
    return c.coerced(node, c.assign(code, args))


def _fill_null(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, v = _args(c, inputs)
    return c.coerced(node, c.assign(f"{v} if {a} is None else {a}", (a, v)))


def _temporal_part(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    name, _ = _name(node["Function"]["function"])
    return c.strict((a,), f"{a}.{_TEMPORAL_PARTS[name][0]}")


def _month_start(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    return c.strict((a,), f"{a}.replace(day=1)")


def _offset_by(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    if c.dtype_name(inputs[0]) != "Date":
        raise Unsupported("offset_by on a non-date")
    a, spec = _args(c, inputs)
    if spec in c.known and isinstance(c.known[spec], str):
        parsed = runtime.offset_spec(c.known[spec])
        if parsed is None:
            raise Unsupported(f"offset {c.known[spec]!r}")
        return c.assign(f"rt.offset({a}, {parsed[0]}, {parsed[1]})", (a,))
    return c.assign(f"rt.offset_by({a}, {spec})", (a, spec))


def _is_in(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, values = _args(c, inputs)
    if values not in c.known or not isinstance(c.known[values], list):
        raise Unsupported("is_in over a column")
    if options.get("nulls_equal"):
        raise Unsupported("is_in with nulls_equal")
    choices = c.const(frozenset(x for x in c.known[values] if x is not None))
    return c.strict((a,), f"{a} in {choices}")


def _starts_with(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, prefix = _args(c, inputs)
    return c.strict((a, prefix), f"{a}.startswith({prefix})")


def _ends_with(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, suffix = _args(c, inputs)
    return c.strict((a, suffix), f"{a}.endswith({suffix})")


def _len_chars(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    (a,) = _args(c, inputs)
    return c.strict((a,), f"len({a})")


def _contains(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, pattern = _args(c, inputs)
    if pattern not in c.known or not isinstance(c.known[pattern], str):
        raise Unsupported("contains with a per-row pattern")
    if options.get("literal"):
        return c.strict((a,), f"{pattern} in {a}")
    fn = c.helper(runtime.Searcher(runtime.python_regex(c.known[pattern])))
    return c.assign(f"{fn}({a})", (a,))


def _format(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    if options.get("specs"):
        raise Unsupported("format specs")
    args = _texts(c, inputs)
    text = options["format"].encode()
    cuts = [0, *options["insertions"], len(text)]
    pieces = [text[cuts[i] : cuts[i + 1]].decode() for i in range(len(cuts) - 1)]
    parts = [repr(pieces[0])]
    for arg, piece in zip(args, pieces[1:], strict=True):
        parts += [arg, repr(piece)]
    return c.strict(args, f"({' + '.join(p for p in parts if p != repr(''))} or '')")


def _texts(c: Compiler, inputs: list[Node]) -> tuple[str, ...]:
    """Each input as text (Polars casts a formatted value to String)."""
    out = []
    for node in inputs:
        atom = c.emit(node)
        kind = c.dtype_name(node)
        if kind in ("Float32", "Float64"):
            raise Unsupported("a float formatted as text")
        out.append(atom if kind == "String" else c.assign(f"rt.text({atom})", (atom,)))
    return tuple(out)


def _concat(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    args = _texts(c, inputs)
    sep = options["delimiter"]
    if options.get("ignore_nulls"):
        return c.assign(f"{sep!r}.join(x for x in ({', '.join(args)},) if x is not None)", args)
    return c.strict(args, f"{sep!r}.join(({', '.join(args)},))")


def _replace(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, pattern, replacement = _args(c, inputs)
    if pattern not in c.known or replacement not in c.known:
        raise Unsupported("replace with a per-row pattern")
    fn = c.helper(runtime.Replacer(c.known[pattern], c.known[replacement], options["n"], literal=options["literal"]))
    return c.assign(f"{fn}({a})", (a,))


def _slice(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, offset, length = _args(c, inputs)
    return c.assign(f"rt.slice_chars({a}, {offset}, {length})", (a, offset, length))


def _extract(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    a, pattern = _args(c, inputs)
    if pattern not in c.known:
        raise Unsupported("extract with a per-row pattern")
    fn = c.helper(runtime.Extractor(runtime.python_regex(c.known[pattern]), int(options)))
    return c.assign(f"{fn}({a})", (a,))


def _clip(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    args = list(_args(c, inputs))
    low = args.pop(1) if options["has_min"] else "None"
    high = args.pop(1) if options["has_max"] else "None"
    return c.coerced(node, c.assign(f"rt.clip({args[0]}, {low}, {high})", (args[0], low, high)))


def _replace_strict(c: Compiler, node: Node, inputs: list[Node], options: Any) -> str:
    args = _args(c, inputs)
    a, old, new = args[:3]
    if old not in c.known or new not in c.known:
        raise Unsupported("replace_strict with per-row values")
    mapping = c.const(dict(zip(c.known[old], c.known[new], strict=True)))
    default = args[3] if len(args) > 3 else None
    if default is None:
        fn = c.helper(_strict_lookup)
        return c.assign(f"{fn}({mapping}, {a})", (a,))
    return c.coerced(node, c.assign(f"{mapping}.get({a}, {default})", (a, default)))


def _strict_lookup(mapping: dict[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if value not in mapping:
        raise ValueError(f"replace_strict: {value!r} has no replacement")
    return mapping[value]


_HANDLERS: dict[str, Callable[[Compiler, Node, list[Node], Any], str]] = {
    "IsNull": _is_null,
    "IsNotNull": _is_not_null,
    "Not": _not,
    "AnyHorizontal": _horizontal("any_"),
    "AllHorizontal": _horizontal("all_"),
    "SumHorizontal": _sum_horizontal,
    "MinHorizontal": _extreme("min"),
    "MaxHorizontal": _extreme("max"),
    "Coalesce": _coalesce,
    "FillNull": _fill_null,
    "Year": _temporal_part,
    "Month": _temporal_part,
    "Day": _temporal_part,
    "MonthStart": _month_start,
    "OffsetBy": _offset_by,
    "IsIn": _is_in,
    "StartsWith": _starts_with,
    "EndsWith": _ends_with,
    "LenChars": _len_chars,
    "Contains": _contains,
    "Format": _format,
    "ConcatHorizontal": _concat,
    "Replace": _replace,
    "Slice": _slice,
    "Extract": _extract,
    "Clip": _clip,
    "ReplaceStrict": _replace_strict,
}

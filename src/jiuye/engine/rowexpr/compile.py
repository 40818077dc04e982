"""Polars expressions → one Python function over a dict row.

Each expression is read in its serialised form (``Expr.meta.serialize(format="json")``: the
plan Polars itself would run) and emitted as straight-line Python, one assignment per node:
a node seen twice in a program (the same subtree over the same columns) is computed once, and
a node whose inputs are all constants is computed at compile time. Nulls are ``None``; each
node follows Polars' rule for them (most propagate null, ``&``/``|`` are Kleene, a ``when``
with a null predicate takes its ``otherwise``). Where the value's type decides (a cast, a
number formatted into text), the node's dtype is asked of Polars, which resolves it without
data. What the compiler does not know raises :class:`Unsupported`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import marshal
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any

import polars as pl

from jiuye.engine.rowexpr import functions, runtime
from jiuye.engine.rowexpr.program import Row, Stages, Unsupported

__all__ = ["CompiledProgram", "compile_stages"]

Node = dict[str, Any]
_STRICT_OPS = {
    "Eq": "==",
    "NotEq": "!=",
    "Lt": "<",
    "LtEq": "<=",
    "Gt": ">",
    "GtEq": ">=",
    "Plus": "+",
    "Minus": "-",
    "Multiply": "*",
}
_CALLED_OPS = {"FloorDivide": "floordiv", "Modulus": "mod", "TrueDivide": "truediv"}
_INTEGERS = frozenset(runtime._WIDTHS)


class CompiledProgram:
    """A row program: its generated source (kept for reading and debugging) and its function.

    It pickles as its compiled code and constants (no lambdas among them), so a plan kept on
    disk (:mod:`jiuye.engine.plan_store`) brings its programs without compiling them again."""

    def __init__(self, source: str, code: CodeType, constants: dict[str, Any], schema: dict[str, pl.DataType]) -> None:
        self.source = source
        self.code = code
        self.constants = constants
        self.schema = schema
        namespace = {**constants, "rt": runtime, "_date": dt.date}
        exec(code, namespace)
        self.function: Callable[[Row], None] = namespace["program"]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_load, (self.source, marshal.dumps(self.code), self.constants, self.schema))

    def __call__(self, rows: list[Row]) -> None:
        fn = self.function
        for row in rows:
            fn(row)


def _load(source: str, code: bytes, constants: dict[str, Any], schema: dict[str, pl.DataType]) -> CompiledProgram:
    return CompiledProgram(source, marshal.loads(code), constants, schema)


class Compiler:
    def __init__(self, schema: Mapping[str, pl.DataType]) -> None:
        self.schema = dict(schema)  # the columns as the stage being compiled reads them
        self.env: dict[str, str] = {}  # column → the variable holding its current value
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {"rt": runtime, "_date": dt.date}
        self.known: dict[str, Any] = {}  # constant atoms → their values
        self.memo: dict[tuple[Any, ...], str] = {}  # (kind, options, input atoms) → atom
        self.atoms: dict[int, str] = {}  # id of a node of this program → its atom
        self.dtypes: dict[int, str] = {}  # id of a node → its dtype's name (in its stage)
        self.nodes: list[Node] = []
        self.start_stage()
        self._count = 0

    # -- atoms -------------------------------------------------------------------------------
    def fresh(self) -> str:
        self._count += 1
        return f"v{self._count}"

    def const(self, value: Any) -> str:
        """An atom standing for a constant (inlined when its repr is exact)."""
        if value is None or isinstance(value, bool | int | str):
            atom = repr(value)
        else:
            atom = f"c{len(self.namespace)}"
            self.namespace[atom] = value
        self.known[atom] = value
        return atom

    def assign(self, code: str, inputs: tuple[str, ...] = ()) -> str:
        """A node's value: folded when every input is constant, else a new line."""
        if all(a in self.known for a in inputs):
            try:
                value = eval(code, self.namespace, {})
            except Exception as exc:
                raise Unsupported(f"constant {code}: {exc}") from exc
            return self.const(value)
        var = self.fresh()
        self.lines.append(f"    {var} = {code}")
        return var

    def strict(self, inputs: tuple[str, ...], code: str) -> str:
        """Null when any input is null (the inputs known not to be null are not tested)."""
        tests = [f"{a} is None" for a in dict.fromkeys(inputs) if not (a in self.known and self.known[a] is not None)]
        if any(a in self.known and self.known[a] is None for a in inputs):
            return self.const(None)
        return self.assign(f"None if {' or '.join(tests)} else {code}" if tests else code, inputs)

    def helper(self, fn: Callable[..., Any]) -> str:
        name = f"f{len(self.namespace)}"
        self.namespace[name] = fn
        return name

    # -- nodes -------------------------------------------------------------------------------
    def column(self, name: str) -> str:
        if name not in self.schema:
            raise Unsupported(f"column {name} not in the input")
        if name not in self.env:
            var = self.fresh()
            self.lines.append(f"    {var} = r[{name!r}]")
            self.env[name] = var
        return self.env[name]

    def emit(self, node: Node) -> str:
        """The node's atom. A node is the same as one already emitted when its kind, options and
        inputs' atoms are (hash-consing): computed once per program."""
        found = self.atoms.get(id(node))
        if found is not None:
            return found
        (kind, body), *_ = node.items()
        if kind == "Alias":
            atom = self.emit(body[0])
        elif kind == "Column":
            atom = self.column(body)
        else:
            key = (kind, _options(kind, body), tuple(self.emit(child) for child in _children(kind, body)))
            known = self.memo.get(key)
            atom = self.memo[key] = self._emit(node) if known is None else known
        self.atoms[id(node)] = atom
        self.nodes.append(node)  # alive while compiling, so no other node takes its id
        return atom

    def _emit(self, node: Node) -> str:
        (kind, body), *_ = node.items()
        if kind == "Column":
            return self.column(body)
        if kind == "Alias":
            return self.emit(body[0])
        if kind == "Literal":
            return self.literal(node, body)
        if kind == "Cast":
            return self.cast(body)
        if kind == "BinaryExpr":
            return self.binary(body)
        if kind == "Ternary":
            p, t, f = self.emit(body["predicate"]), self.emit(body["truthy"]), self.emit(body["falsy"])
            if p in self.known:
                return t if self.known[p] is True else f
            return self.coerced(node, self.assign(f"{t} if {p} else {f}", (p, t, f)))
        if kind == "Function":
            return functions.emit(self, node, body)
        raise Unsupported(kind)

    def literal(self, node: Node, body: Any) -> str:
        if isinstance(body, dict) and "Dyn" in body:
            (_, value), *_ = body["Dyn"].items()
            return self.const(value)
        if isinstance(body, dict) and "Scalar" in body:
            (kind, value), *_ = body["Scalar"].items()
            if kind == "Null":
                return self.const(None)
            if kind == "Date":
                return self.const(runtime.date_of_days(value))
            if kind in _INTEGERS or kind in ("Boolean", "String", "Float64"):
                return self.const(value)
        values = self.evaluate_constant(node)  # lists, series...: Polars decodes them
        return self.const(values if "Series" in body else values[0])

    def cast(self, body: Node) -> str:
        inner, target, strict = body["expr"], _dtype_name(body["dtype"]), body["options"] == "Strict"
        atom = self.emit(inner)
        source = self.dtype_name(inner)
        if source == target:
            return atom
        if target in _INTEGERS:
            if source in _INTEGERS and _fits(source, target):
                return atom
            fn = self.helper(functools.partial(runtime.to_int, dtype=target, strict=strict))
            return self.assign(f"{fn}({atom})", (atom,))
        if target == "String" and source in (*_INTEGERS, "Boolean", "Date", "String", "Null"):
            return self.assign(f"rt.text({atom})", (atom,))
        if target in ("Float64", "Float32") and source in (*_INTEGERS, "Boolean", "Float64", "Float32", "Null"):
            return self.strict((atom,), f"float({atom})")
        if target == "Boolean" and source in _INTEGERS:
            return self.strict((atom,), f"{atom} != 0")
        if source == "Null":
            return atom
        raise Unsupported(f"cast {source} → {target}")

    def binary(self, body: Node) -> str:
        op = body["op"]
        left, right = self.emit(body["left"]), self.emit(body["right"])
        if op in ("And", "Or"):
            if self.dtype_name(body["left"]) == "Boolean" and self.dtype_name(body["right"]) == "Boolean":
                return self.assign(f"rt.{op.lower()}_({left}, {right})", (left, right))
            return self.strict((left, right), f"{left} {'&' if op == 'And' else '|'} {right}")
        if op in _CALLED_OPS:
            return self.numeric(
                {"BinaryExpr": body}, self.assign(f"rt.{_CALLED_OPS[op]}({left}, {right})", (left, right))
            )
        if op not in _STRICT_OPS:
            raise Unsupported(f"operator {op}")
        atom = self.strict((left, right), f"{left} {_STRICT_OPS[op]} {right}")
        if op in ("Plus", "Minus", "Multiply"):
            return self.numeric({"BinaryExpr": body}, atom)
        return atom

    def numeric(self, node: Node, atom: str) -> str:
        """An arithmetic result in its dtype: integers wrap at their width, ints become floats."""
        name = self.dtype_name(node)
        if name in _INTEGERS and name != "Int64":
            return self.assign(f"rt.wrap({atom}, {name!r})", (atom,))
        return self.coerced(node, atom)

    def coerced(self, node: Node, atom: str) -> str:
        """Where Polars' result dtype is a float, an int from one branch becomes a float too."""
        if self.dtype_name(node) in ("Float64", "Float32"):
            return self.strict((atom,), f"float({atom})")
        return atom

    # -- dtypes ------------------------------------------------------------------------------
    def start_stage(self, exprs: list[pl.Expr] | None = None) -> None:
        """The next stage reads the columns as the last one left them (an empty frame resolves
        the dtypes without data)."""
        if exprs is None:
            self.frame = pl.LazyFrame(schema=self.schema)
        else:
            self.frame = self.frame.with_columns(*exprs)
            self.schema = dict(self.frame.collect_schema())
        self.names = {c: _dtype_str(d) for c, d in self.schema.items()}

    def dtype_name(self, node: Node) -> str:
        found = self.dtypes.get(id(node))
        if found is None:
            found = self.dtypes[id(node)] = self._dtype(node) or self._polars_dtype(node)
            self.nodes.append(node)
        return found

    def _dtype(self, node: Node) -> str | None:
        """The dtype where the node's kind fixes it (None: Polars resolves it)."""
        (kind, body), *_ = node.items()
        if kind == "Column":
            return self.names[body]
        if kind == "Alias":
            return self.dtype_name(body[0])
        if kind == "Cast":
            return _dtype_name(body["dtype"])
        if kind == "Literal" and isinstance(body, dict) and "Scalar" in body:
            (name, value), *_ = body["Scalar"].items()
            return str(value) if name == "Null" and isinstance(value, str) else name if name != "List" else None
        if kind == "BinaryExpr":
            return self._binary_dtype(body)
        if kind == "Ternary":
            branches = {self.dtype_name(body["truthy"]), self.dtype_name(body["falsy"])} - {"Null"}
            return branches.pop() if len(branches) == 1 else None
        if kind == "Function":
            return functions.result_dtype(body, [self.dtype_name(i) for i in body["input"]])
        return None

    def _binary_dtype(self, body: Node) -> str | None:
        op = body["op"]
        if op in ("Eq", "NotEq", "Lt", "LtEq", "Gt", "GtEq"):
            return "Boolean"
        left, right = body["left"], body["right"]
        if _dynamic(left) or _dynamic(right):
            other = right if _dynamic(left) else left
            if _dynamic(other) or op == "TrueDivide":
                return None
            name = self.dtype_name(other)
            int_literal = "Int" in (left if _dynamic(left) else right)["Literal"]["Dyn"]
            return name if name in _INTEGERS and int_literal else None
        names = {self.dtype_name(left), self.dtype_name(right)}
        if op in ("And", "Or") and names == {"Boolean"}:
            return "Boolean"
        if len(names) == 1 and op in ("Plus", "Minus", "Multiply", "FloorDivide", "Modulus", "And", "Or"):
            name = names.pop()
            return name if name in _INTEGERS else None
        return None

    def _polars_dtype(self, node: Node) -> str:
        resolved = self.to_expr(node)
        return _dtype_str(self.frame.select(resolved).collect_schema().dtypes()[0])

    def to_expr(self, node: Node) -> pl.Expr:
        return pl.Expr.deserialize(io.StringIO(json.dumps(node)), format="json")

    def evaluate_constant(self, node: Node) -> list[Any]:
        return pl.select(self.to_expr(node)).to_series().to_list()


def _children(kind: str, body: Any) -> list[Node]:
    if kind == "Cast":
        return [body["expr"]]
    if kind == "BinaryExpr":
        return [body["left"], body["right"]]
    if kind == "Ternary":
        return [body["predicate"], body["truthy"], body["falsy"]]
    if kind == "Function":
        return list(body["input"])
    return []


def _options(kind: str, body: Any) -> str:
    """What a node is besides its inputs (its operator, function, dtype, or literal value)."""
    if kind == "Cast":
        return json.dumps([body["dtype"], body["options"]])
    if kind == "BinaryExpr":
        return str(body["op"])
    if kind == "Function":
        return json.dumps(body["function"], sort_keys=True)
    if kind == "Ternary":
        return ""
    return json.dumps(body, sort_keys=True)


def _dynamic(node: Node) -> bool:
    """A literal whose dtype adapts to the other side (``pl.lit(1)``, a bare Python number)."""
    return "Literal" in node and isinstance(node["Literal"], dict) and "Dyn" in node["Literal"]


def _dtype_name(dtype: Any) -> str:
    if isinstance(dtype, dict) and "Literal" in dtype and isinstance(dtype["Literal"], str):
        return str(dtype["Literal"])
    raise Unsupported(f"dtype {dtype}")


def _dtype_str(dtype: pl.DataType) -> str:
    return dtype.__name__ if isinstance(dtype, type) else type(dtype).__name__


def _fits(source: str, target: str) -> bool:
    (sb, ss), (tb, ts) = runtime._WIDTHS[source], runtime._WIDTHS[target]
    return (ss == ts and sb <= tb) or (not ss and ts and sb < tb)


def compile_stages(stages: Stages, schema: Mapping[str, pl.DataType]) -> CompiledProgram:
    """The stages as one function over a row; outputs written back when all are computed."""
    c = Compiler(schema)
    written: dict[str, str] = {}
    for exprs in stages:
        outputs = []
        for expr in exprs:
            name = expr.meta.output_name()
            outputs.append((name, c.emit(json.loads(expr.meta.serialize(format="json")))))
        c.start_stage(list(exprs))
        for name, atom in outputs:
            if atom in c.known:  # a constant column: its own variable, so the row gets the value
                var = c.fresh()
                c.lines.append(f"    {var} = {atom}")
                atom = var
            c.env[name] = written[name] = atom
    body = [f"    r[{name!r}] = {atom}" for name, atom in written.items()]
    source = "def program(r):\n" + "\n".join([*c.lines, *body] or ["    pass"]) + "\n"
    # Only our constants: folding with eval() put the builtins in the namespace, which hold what
    # any extension module adds there (unpicklable capsules).
    constants = {k: v for k, v in c.namespace.items() if k not in ("rt", "_date", "__builtins__")}
    return CompiledProgram(source, compile(source, "<rowexpr>", "exec"), constants, c.schema)

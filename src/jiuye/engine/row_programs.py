"""Which row-program compiler the single case uses (one line to switch; see :mod:`jiuye.engine.rowexpr`).

The reference evaluates with Polars (right, and slow); the compiled one turns the same
expressions into Python over dict rows and raises :class:`~jiuye.engine.rowexpr.Unsupported`
for what it does not know.
"""

from __future__ import annotations

from jiuye.engine.rowexpr.compile import compile_stages

__all__ = ["compile_stages"]

"""The ``jiuye`` command: policy catalog, calculator, facts schema, matching, the case service.

Each command lives in its own module, imported when the command runs (or when ``--help`` lists
it): ``jiuye eval`` starts without the service stack, rich, or the other commands' code.
"""

from __future__ import annotations

import typer

from jiuye.cli.lazy import lazy_group

__all__ = ["COMMANDS", "app", "main"]

#: name → "module:attribute" (a ``typer.Typer`` group or a command function), in ``--help`` order.
COMMANDS = {
    "serve": "jiuye.cli.service:serve",
    "near-misses": "jiuye.cli.near_misses:near_misses_command",
    "eval": "jiuye.cli.evaluate:eval_command",
    "demo": "jiuye.cli.evaluate:demo",
    "match": "jiuye.cli.match:match_command",
    "synth": "jiuye.cli.registry:synth_command",
    "policies": "jiuye.cli.policies:policies_app",
    "facts": "jiuye.cli.facts:facts_app",
    "db": "jiuye.cli.service:db_app",
    "audit": "jiuye.cli.service:audit_app",
    "cases": "jiuye.cli.service:cases_app",
    "ledger": "jiuye.cli.ledger:ledger_app",
    "jobs": "jiuye.cli.jobs:jobs_app",
    "deliveries": "jiuye.cli.deliveries:deliveries_app",
    "users": "jiuye.cli.users:users_app",
    "registry": "jiuye.cli.registry:registry_app",
}

app = typer.Typer(
    cls=lazy_group(COMMANDS), help="稳就业政策服务平台：政策目录与计算器", no_args_is_help=True, add_completion=False
)


@app.callback()
def _root() -> None:
    """稳就业政策服务平台：政策目录与计算器"""


def main() -> None:
    app()


if __name__ == "__main__":
    main()

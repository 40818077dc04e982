"""Command groups whose sub-commands are imported when used: ``jiuye eval`` loads the calculator,
not the case service, the ledger or the other commands' code (issue 13, item 4).

A group lists its lazy commands as ``name → "module:attribute"``; the attribute is a
``typer.Typer`` (a group of commands) or a function (one command). Typer builds it exactly as
``add_typer`` / ``command`` would have, on a throwaway app of its own, when the command is run or
when ``--help`` lists it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command

__all__ = ["lazy_group", "load_command"]


def load_command(name: str, target: str) -> Any:
    """The click command for ``target`` ("module:attribute"), registered under ``name``."""
    module, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer(add_completion=False)
    if isinstance(found, typer.Typer):
        holder.add_typer(found, name=name)
        group: Any = get_command(holder)
        return group.commands[name]
    holder.command(name)(found)
    return get_command(holder)


def lazy_group(commands: Mapping[str, str]) -> type[TyperGroup]:
    """A group class that lists ``commands`` (in order, before any defined eagerly) and imports
    each one's module only when it is asked for."""

    class LazyGroup(TyperGroup):
        def list_commands(self, ctx: Any) -> list[str]:
            return [*commands, *(n for n in super().list_commands(ctx) if n not in commands)]

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            target = commands.get(cmd_name)
            if target is not None and cmd_name not in self.commands:
                self.add_command(load_command(cmd_name, target), cmd_name)
            return super().get_command(ctx, cmd_name)

    return LazyGroup

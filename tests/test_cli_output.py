"""What the engine commands share (:mod:`jiuye.cli.output`): the garbage collector is back on
after loading, whatever happened, and a console is built when first used."""

from __future__ import annotations

import gc
import io

import pytest

from jiuye.cli.output import _LazyConsole, loading


def test_loading_turns_the_collector_off_then_on_again() -> None:
    assert gc.isenabled()
    with loading():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), loading():
        raise ValueError
    assert gc.isenabled()


def test_loading_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with loading():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_console_is_built_when_first_used() -> None:
    sink = io.StringIO()
    console = _LazyConsole(file=sink, soft_wrap=True)
    assert console._console is None
    console.print("你好")
    assert console._console is not None
    assert sink.getvalue() == "你好\n"
    with console:  # rich's progress bars enter their console
        console.print("再见")
    assert sink.getvalue().endswith("再见\n")

"""One error hierarchy; every message is Chinese, names the field or row, and says what to do."""

from __future__ import annotations


class JiuyeError(Exception):
    """Base class: a domain error whose message a user can act on."""

    code = "JIUYE_ERROR"


class FactsError(JiuyeError):
    """Input facts are invalid: the message lists every bad field."""

    code = "FACTS_INVALID"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        msg = "输入事实有误：\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(msg)


class ParameterError(JiuyeError):
    """Parameter data (YAML) is malformed or lacks a reference."""

    code = "PARAMETER_INVALID"


class UnknownMeasureError(JiuyeError):
    code = "MEASURE_UNKNOWN"

    def __init__(self, measure_id: str, known: list[str]) -> None:
        near = [k for k in known if k.split(".")[0] == measure_id.split(".")[0]][:8]
        hint = (
            f"；提示：可用的政策编号如 {'、'.join(near)}" if near else "；提示：运行 jiuye policies list 查看全部编号"
        )
        super().__init__(f"未知的政策编号：{measure_id!r}{hint}")


class RegionError(JiuyeError, ValueError):
    code = "REGION_INVALID"

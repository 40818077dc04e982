"""The one error every job-posting field parser raises when text is present but not understood."""

from __future__ import annotations

from jiuye.errors import JiuyeError


class FieldParseError(JiuyeError, ValueError):
    """A posting field holds text that its parser does not understand; the message names the field.

    >>> str(FieldParseError("薪资", "好多钱", "应形如 6-8千/月"))
    '薪资“好多钱”无法识别；提示：应形如 6-8千/月'
    >>> str(FieldParseError("薪资", "8000-6000", "下限不应高于上限", problem="不成立"))
    '薪资“8000-6000”不成立；提示：下限不应高于上限'
    """

    code = "JOB_FIELD_INVALID"

    def __init__(self, field: str, raw: str, hint: str, *, problem: str = "无法识别") -> None:
        self.field = field
        self.raw = raw
        super().__init__(f"{field}“{raw}”{problem}；提示：{hint}")

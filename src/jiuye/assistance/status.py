"""A graduate's status in the ledger: registered → contacted → in service → employed / no wish to
work / unreachable, with the moves a caseworker may make and the reason each needs.

>>> next_status(GraduateStatus.REGISTERED, GraduateStatus.CONTACTED).label
'已联系'
>>> next_status(GraduateStatus.REGISTERED, GraduateStatus.EMPLOYED)
Traceback (most recent call last):
...
jiuye.assistance.status.StatusError: 状态“已登记”不能直接改为“已就业”；提示：可改为：已联系、无法联系
"""

from __future__ import annotations

from enum import StrEnum

from jiuye.errors import JiuyeError

__all__ = ["CLOSED", "GraduateStatus", "StatusError", "next_status"]


class StatusError(JiuyeError):
    code = "STATUS_TRANSITION"


class GraduateStatus(StrEnum):
    REGISTERED = "registered"
    CONTACTED = "contacted"
    IN_SERVICE = "in_service"
    EMPLOYED = "employed"
    NO_INTENTION = "no_intention"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    GraduateStatus.REGISTERED: "已登记",
    GraduateStatus.CONTACTED: "已联系",
    GraduateStatus.IN_SERVICE: "帮扶中",
    GraduateStatus.EMPLOYED: "已就业",
    GraduateStatus.NO_INTENTION: "暂无就业意愿",
    GraduateStatus.UNREACHABLE: "无法联系",
}

S = GraduateStatus
#: Where each status may go. Employment can end and a wish to work can return: back to service.
MOVES: dict[GraduateStatus, tuple[GraduateStatus, ...]] = {
    S.REGISTERED: (S.CONTACTED, S.UNREACHABLE),
    S.CONTACTED: (S.IN_SERVICE, S.EMPLOYED, S.NO_INTENTION, S.UNREACHABLE),
    S.IN_SERVICE: (S.EMPLOYED, S.NO_INTENTION, S.UNREACHABLE),
    S.UNREACHABLE: (S.CONTACTED,),
    S.NO_INTENTION: (S.IN_SERVICE,),
    S.EMPLOYED: (S.IN_SERVICE,),
}
#: Nothing of the plan is owed in these (the ledger still lists them).
CLOSED = frozenset({S.EMPLOYED, S.NO_INTENTION})


def next_status(current: GraduateStatus, wanted: GraduateStatus) -> GraduateStatus:
    if wanted not in MOVES[current]:
        allowed = "、".join(s.label for s in MOVES[current])
        msg = f"状态“{current.label}”不能直接改为“{wanted.label}”；提示：可改为：{allowed}"
        raise StatusError(msg)
    return wanted

"""The trail of a job pushed to a graduate: pushed → viewed → applied → interviewed → hired, or
closed on the way (declined by the graduate, not taken by the employer). Stages only move forward.

>>> advance(Stage.PUSHED, Stage.APPLIED).label
'已投递'
>>> advance(Stage.HIRED, Stage.VIEWED)
Traceback (most recent call last):
...
jiuye.assistance.trail.TrailError: 岗位推送已是“已录用”，不能回到“已查看”
"""

from __future__ import annotations

from enum import StrEnum

from jiuye.errors import JiuyeError

__all__ = ["Stage", "TrailError", "advance"]


class TrailError(JiuyeError):
    code = "TRAIL_STAGE"


class Stage(StrEnum):
    PUSHED = "pushed"
    VIEWED = "viewed"
    APPLIED = "applied"
    INTERVIEWED = "interviewed"
    HIRED = "hired"
    DECLINED = "declined"  # the graduate did not want it
    NOT_TAKEN = "not_taken"  # the employer did not take them

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def order(self) -> int:
        return _ORDER[self]


_LABELS = {
    Stage.PUSHED: "已推送",
    Stage.VIEWED: "已查看",
    Stage.APPLIED: "已投递",
    Stage.INTERVIEWED: "已面试",
    Stage.HIRED: "已录用",
    Stage.DECLINED: "本人放弃",
    Stage.NOT_TAKEN: "未被录用",
}
_ORDER = {Stage.PUSHED: 0, Stage.VIEWED: 1, Stage.APPLIED: 2, Stage.INTERVIEWED: 3, Stage.HIRED: 4}
_ENDS = (Stage.HIRED, Stage.DECLINED, Stage.NOT_TAKEN)


def advance(current: Stage, wanted: Stage) -> Stage:
    """The next stage; ends (hired, declined, not taken) are final, others only move forward."""
    if current in _ENDS:
        msg = f"岗位推送已是“{current.label}”，不能回到“{wanted.label}”"
        raise TrailError(msg)
    if wanted in (Stage.DECLINED, Stage.NOT_TAKEN):
        return wanted
    if wanted.order <= current.order:
        msg = f"岗位推送已是“{current.label}”，不能回到“{wanted.label}”"
        raise TrailError(msg)
    return wanted

"""Why a job was recommended to a person (or a person to a job): everything a user reads is Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from jiuye.jobs.recommend.filters import Verdict

__all__ = ["Explanation", "ScorePart"]


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One term of the ranking score: ``weight × value``, with ``value`` between 0 and 1."""

    #: Identifier: ``text``, ``occupation``, ``skills``, ``salary``, ``recency``.
    name: str
    #: What it measures, in Chinese.
    label: str
    value: float
    weight: float
    #: The values behind it, in Chinese.
    note: str

    @property
    def contribution(self) -> float:
        return self.weight * self.value

    def text(self) -> str:
        return f"{self.label} {self.value:.2f} × 权重{self.weight:.2f} = {self.contribution:.3f}（{self.note}）"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Matched and missing skills, the occupation match, every hard filter's verdict and the score parts."""

    #: The posting's skill tags the seeker has (as the posting writes them).
    matched_skills: tuple[str, ...]
    #: The posting's skill tags the seeker does not show.
    missing_skills: tuple[str, ...]
    #: The occupation match, in Chinese (同一职业细类 / 同一小类 / 不同 / 未标注).
    occupation: str
    verdicts: tuple[Verdict, ...]
    parts: tuple[ScorePart, ...]

    @property
    def score(self) -> float:
        return sum(p.contribution for p in self.parts)

    def text(self) -> str:
        """The whole explanation as lines of Chinese text."""
        matched = "、".join(self.matched_skills) or "无"
        missing = "、".join(self.missing_skills) or "无"
        lines = [
            f"综合得分 {self.score:.3f}",
            f"职业匹配：{self.occupation}",
            f"已具备的岗位技能：{matched}；尚缺：{missing}",
            "硬性条件：" + "；".join(v.text() for v in self.verdicts),
            "得分构成：" + "；".join(p.text() for p in self.parts),
        ]
        return "\n".join(lines)

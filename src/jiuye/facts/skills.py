"""Skills: certificates (held, or being trained for) and training of the unemployed."""

from __future__ import annotations

import datetime as dt

from pydantic import model_validator

from jiuye.facts.base import Count, _Entity
from jiuye.facts.enums import CertificateLevel
from jiuye.facts.fields import fact

__all__ = ["Certificate", "Training"]


class Certificate(_Entity):
    """职业技能等级证书、职业资格证书或专项职业能力证书（培训后取得）。"""

    person: str = fact("人员编号", example="P4")
    employer: str | None = fact("组织培训的单位编号", example="E1")
    level: CertificateLevel = fact("证书等级/类别", example="intermediate")
    occupation_code: str | None = fact("职业（工种）代码", example="4-04-05-01", note="职业分类大典（2022年版）")
    occupation_name: str | None = fact("职业（工种）名称", example="人工智能训练师")
    ai_shortage_occupation: bool | None = fact("人工智能领域急需紧缺职业（工种）", example=False)
    issued_on: dt.date | None = fact("发证日期", example="2025-06-01")
    compliant_training: bool | None = fact("参加符合规定的培训", example=True)
    held: bool | None = fact(
        "已取得证书",
        example=True,
        note="否：尚在培训、未取得（等级填拟取得的等级，不填发证日期）；未填时按发证日期是否已到判断",
    )

    @model_validator(mode="after")
    def _held(self) -> Certificate:
        if self.held is False and self.issued_on is not None:
            msg = "申报尚未取得证书，却填写了发证日期；提示：已取得的改为 held: true，未取得的删除发证日期"
            raise ValueError(msg)
        return self


class Training(_Entity):
    """失业人员参加职业培训（用于培训期间生活费补贴）。"""

    person: str = fact("人员编号", example="P7")
    start_date: dt.date = fact("培训开始日期", example="2025-05-06")
    days: Count | None = fact("培训天数", unit="天", example=20)
    passed: bool | None = fact("培训合格", example=True)

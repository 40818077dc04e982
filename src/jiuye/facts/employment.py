"""Work relations: a hire (with its labour contract and contributions), an internship, an apprenticeship,
and a placement by an HR agency."""

from __future__ import annotations

import datetime as dt

from pydantic import model_validator

from jiuye.facts.base import Count, Money, _Entity
from jiuye.facts.contracts import CONTRACT_TYPE_NOTE, LEGACY_OPEN_ENDED, LEGACY_SIGNED, TERM_NOTE, check_contract
from jiuye.facts.enums import ApprenticeLevel, ContractType
from jiuye.facts.fields import fact

__all__ = ["Apprenticeship", "Employment", "Internship", "Placement"]


class Employment(_Entity):
    """招用（就业记录）：某单位招用某人，含劳动合同与社会保险缴费情况。"""

    person: str = fact("人员编号", example="P1")
    employer: str = fact("单位编号", example="E1")
    hire_date: dt.date = fact("招用（入职）日期", example="2025-03-01")
    separation_date: dt.date | None = fact("离职日期", example=None)
    labour_contract: bool | None = fact("签订劳动合同", example=None, note=LEGACY_SIGNED)
    contract_months: Count | None = fact("劳动合同期限", unit="月", example=36, note=TERM_NOTE)
    open_ended_contract: bool | None = fact("无固定期限劳动合同", example=None, note=LEGACY_OPEN_ENDED)
    months_paid_pension: Count | None = fact("已足额缴纳职工基本养老保险月数", unit="月", example=6)
    months_paid_medical: Count | None = fact("已足额缴纳基本医疗保险月数", unit="月", example=6)
    months_paid_ui: Count | None = fact("已足额缴纳失业保险月数", unit="月", example=6)
    months_paid_injury: Count | None = fact("已足额缴纳工伤保险月数", unit="月", example=6)
    employer_pension_monthly: Money | None = fact("单位月缴养老保险费", unit="元/月", example="640")
    employer_medical_monthly: Money | None = fact("单位月缴医疗保险费", unit="元/月", example="280")
    employer_ui_monthly: Money | None = fact("单位月缴失业保险费", unit="元/月", example="20")
    employer_injury_monthly: Money | None = fact("单位月缴工伤保险费", unit="元/月", example="8")
    employer_maternity_monthly: Money | None = fact("单位月缴生育保险费", unit="元/月", example="20")
    personal_si_monthly: Money | None = fact("个人月缴养老、医疗、失业保险费合计", unit="元/月", example="420")
    contribution_base: Money | None = fact(
        "该职工月缴费基数",
        unit="元/月",
        example="4000",
        note="未填单位、个人月缴费额时，按缴费基数×费率计算",
    )

    contract_type: ContractType | None = fact("劳动合同类型", example="fixed_term", note=CONTRACT_TYPE_NOTE)

    @model_validator(mode="after")
    def _dates(self) -> Employment:
        if self.separation_date is not None and self.separation_date < self.hire_date:
            msg = "离职日期早于招用日期"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _contract(self) -> Employment:
        check_contract(self.contract_type, self.contract_months, self.labour_contract, self.open_ended_contract)
        return self


class Internship(_Entity):
    """就业见习：见习人员在见习基地的一段见习。"""

    person: str = fact("人员编号", example="P2")
    employer: str = fact("见习基地（单位编号）", example="E2")
    start_date: dt.date = fact("见习开始日期", example="2025-03-01")
    planned_months: Count | None = fact("约定见习期限", unit="月", example=6)
    end_date: dt.date | None = fact("见习结束日期", example="2025-08-31", note="尚在见习的不填")
    retained: bool | None = fact("见习期满（或期内）被留用", example=True)
    contract_signed_on: dt.date | None = fact("签订劳动合同日期", example=None)


class Apprenticeship(_Entity):
    """企业新型学徒制培训。"""

    person: str = fact("人员编号", example="P5")
    employer: str = fact("单位编号", example="E1")
    level: ApprenticeLevel = fact("培训目标等级", example="senior")
    start_date: dt.date | None = fact("培训开始日期", example="2025-01-01")
    months: Count | None = fact("本次申请的培训月数", unit="月", example=12)


class Placement(_Entity):
    """人力资源服务机构组织劳动者到企业就业（职业介绍）。"""

    agency: str = fact("人力资源服务机构（单位编号）", example="E3")
    person: str = fact("人员编号", example="P6")
    employer: str | None = fact("用工企业（单位编号）", example="E1")
    placed_on: dt.date | None = fact("就业日期", example="2025-04-01")
    contract_months: Count | None = fact("劳动合同期限", unit="月", example=12, note=TERM_NOTE)
    months_paid_pension: Count | None = fact("已缴纳企业职工基本养老保险月数", unit="月", example=3)
    contract_type: ContractType | None = fact("劳动合同类型", example="fixed_term", note=CONTRACT_TYPE_NOTE)

    @model_validator(mode="after")
    def _contract(self) -> Placement:
        check_contract(self.contract_type, self.contract_months, None, None)
        return self

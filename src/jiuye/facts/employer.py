"""Employers: enterprises, social organisations, institutions; also internship bases and HR agencies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import field_validator

from jiuye.facts.base import Count, Money, Ratio, Wan, _Entity, entity_region
from jiuye.facts.enums import EmployerKind, Size, TaxCategory
from jiuye.facts.fields import fact
from jiuye.identifiers import check_uscc

__all__ = ["Employer"]


class Employer(_Entity):
    """用人单位：企业、社会组织、事业单位、个体工商户；也包括见习基地、人力资源服务机构。"""

    id: str = fact("单位编号", example="E1")
    name: str | None = fact("单位名称", example="南宁某某科技有限公司")
    uscc: str | None = fact("统一社会信用代码", example="91450100MA5KX1234X", note="18位，校验码按 GB 32100-2015 检查")
    kind: EmployerKind | None = fact(
        "单位类型",
        example="enterprise",
        note="enterprise 企业 / social_organisation 社会组织 / public_institution 事业单位 / "
        "individual_business 个体工商户 / government 机关",
    )
    region: str | None = fact("所在地行政区划代码", example="450103", note="GB/T 2260")
    industry: str | None = fact(
        "国民经济行业分类代码", example="C39", note="GB/T 4754-2017，门类字母+大类两位，或四位小类"
    )
    staff: Count | None = fact("从业人员数", unit="人", example=80)
    revenue: Wan | None = fact("上年度营业收入", unit="万元", example=3000)
    assets: Wan | None = fact("资产总额", unit="万元", example=2000)
    size: Size | None = fact(
        "企业规模（认定）", example="small", note="未填时按工信部联企业〔2011〕300号由行业、人数、收入推定"
    )
    soe: bool | None = fact("国有企业", example=False)
    related_enterprise: bool | None = fact(
        "“相关企业”", example=False, note="桂人社发〔2025〕38号所称相关企业，由人社部门认定"
    )
    key_industry: bool | None = fact("属于重点行业领域", example=True, note="未填时按参数中的行业清单推定")
    hr_service_agency: bool | None = fact("经营性人力资源服务机构", example=False)
    internship_base: bool | None = fact("就业见习基地", example=False)
    internship_retention_rate: Ratio | None = fact("见习期满留用率", unit="比例", example="0.5")
    tax_category: TaxCategory | None = fact(
        "税收优惠企业类别",
        example="service",
        note="trade 商贸企业 / service 服务型企业 / "
        "labour_service_processing 劳动就业服务企业中的加工型企业 / "
        "community_processing 街道社区具有加工性质的小型企业实体 / other 其他",
    )
    insured_staff: Count | None = fact("失业保险参保缴费月平均人数（上年度）", unit="人", example=80)
    ui_paid_months: Count | None = fact("连续足额缴纳失业保险月数", unit="月", example=24)
    layoffs_last_year: Count | None = fact(
        "上年度裁员人数", unit="人", example=1, note="按上年度新增领取失业保险金人数计"
    )
    ui_contributions_last_year: Money | None = fact(
        "上年度实际缴纳失业保险费（单位及职工）", unit="元", example="48000"
    )
    ui_employer_contributions_last_year: Money | None = fact(
        "上年度实际缴纳失业保险费（单位部分）", unit="元", example="24000"
    )
    si_contributions_last_year: Money | None = fact("上年度单位及职工缴纳社会保险费合计", unit="元", example="1200000")
    genuine_difficulty: bool | None = fact("生产经营确有困难", example=False)
    temporary_difficulty: bool | None = fact("面临暂时性生产经营困难且恢复有望", example=False)
    months_unable_to_pay_min_wage: Count | None = fact("连续无力支付职工最低工资月数", unit="月", example=0)
    months_not_operating: Count | None = fact("无法正常生产经营、仅发放生活费的月数", unit="月", example=0)
    serious_losses: bool | None = fact("生产经营出现较严重亏损", example=False)
    months_wages_unpaid: Count | None = fact("连续不能正常发放工资月数", unit="月", example=0)
    idle_staff: Count | None = fact("待岗职工人数", unit="人", example=0)
    planned_layoffs: Count | None = fact("拟裁减人数", unit="人", example=0)
    vacancies: Count | None = fact("用工缺口人数", unit="人", example=0)
    postdoc_station_established_on: dt.date | None = fact("博士后科研工作站设立日期", example="2025-05-20")
    new_qualifying_hires: Count | None = fact(
        "当年新招用符合创业担保贷款申请条件并签订1年以上劳动合同的人数", unit="人", example=5
    )
    # -- what the money is (issue 11, item 7): the facts that turn rates, caps and limits into yuan --
    tax_payable: Money | None = fact(
        "评估年度实际应缴纳的增值税、城市维护建设税、教育费附加、地方教育附加和企业所得税合计",
        unit="元",
        example="20000",
        note="定额扣减以此为限（财税〔2023〕15号）；未填时结果只给扣减限额",
    )
    wage_base_monthly: Money | None = fact(
        "单位月缴费基数（职工工资总额）", unit="元/月", example="400000", note="计算降费率每月少缴的金额"
    )
    injury_base_rate: Ratio | None = fact(
        "工伤保险行业基准费率", unit="比例", example="0.004", note="按行业工伤风险类别确定，不含浮动"
    )
    pension_rate: Ratio | None = fact(
        "单位基本养老保险缴费费率", unit="比例", example="0.16", note="未填时按参数（文件规定的费率）"
    )
    medical_rate: Ratio | None = fact("单位基本医疗保险缴费费率", unit="比例", example="0.068", note="各地自定")
    ui_rate: Ratio | None = fact(
        "单位失业保险缴费费率", unit="比例", example="0.005", note="未填时按参数（文件规定的费率）"
    )
    injury_rate: Ratio | None = fact(
        "单位工伤保险缴费费率（实际执行）", unit="比例", example="0.002", note="未填时按基准费率和下调幅度计算"
    )
    maternity_rate: Ratio | None = fact("单位生育保险缴费费率", unit="比例", example="0.005", note="各地自定")
    postdoc_station: bool | None = fact(
        "设有博士后科研工作站", example=True, note="只设博士后创新实践基地、未设工作站的填否"
    )
    postdoc_innovation_base: bool | None = fact("设有博士后创新实践基地", example=False)
    startup_loan_applicant: bool | None = fact(
        "申请小微企业创业担保贷款", example=False, note="单位作为借款人申请创业担保贷款"
    )

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return entity_region(v)

    @field_validator("uscc")
    @classmethod
    def _check_uscc(cls, v: str | None) -> str | None:
        return None if v is None else check_uscc(v)

    @field_validator("industry")
    @classmethod
    def _check_industry(cls, v: str | None) -> str | None:
        if v is None:
            return v
        code = v.strip().upper()
        digits = code[1:] if code[:1].isalpha() else code
        if not (code[:1].isalpha() or code[:1].isdigit()) or (digits and not digits.isdigit()):
            msg = f"行业代码 {v!r} 格式不正确；提示：如 C39、39 或 3911（GB/T 4754-2017）"
            raise ValueError(msg)
        if len(digits) not in (0, 2, 3, 4):
            msg = f"行业代码 {v!r} 位数不正确；提示：大类2位、中类3位、小类4位"
            raise ValueError(msg)
        return code

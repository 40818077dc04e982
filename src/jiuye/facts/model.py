"""The facts model: typed, validated inputs for the entities the four documents talk about.

Every field is optional unless the entity cannot exist without it: a fact left out is
*unknown*, and the engine answers "needs facts" naming it, rather than guessing "no".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jiuye.facts.enums import (
    ApprenticeLevel,
    BusinessForm,
    CertificateLevel,
    Degree,
    Discipline,
    EmployerKind,
    Sex,
    Size,
    TaxCategory,
)
from jiuye.facts.fields import fact
from jiuye.identifiers import check_id_number, check_uscc
from jiuye.regions import validate_region

__all__ = [
    "REFERENCES",
    "Apprenticeship",
    "Business",
    "Certificate",
    "DistrictIndicators",
    "Employer",
    "Employment",
    "Facts",
    "Internship",
    "Person",
    "Placement",
    "PriorGrant",
    "Training",
    "dangling_references",
]

#: named assumption: no count of people, months or days exceeds the 32-bit range; bounded so that the
#: engine's 64-bit columns (count times an amount in fen) cannot overflow on a hostile claim.
COUNT_MAX = 2**31 - 1
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Wan = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)]
Ratio = Annotated[Decimal, Field(ge=0, le=1, max_digits=8, decimal_places=6)]


class _Entity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


def _region(value: str | int | None) -> str | None:
    return None if value is None else validate_region(str(value))


class Person(_Entity):
    """个人：劳动者、高校毕业生、失业人员、创业者等。"""

    id: str = fact("人员编号", example="P1", note="本文件内唯一，用于关联招用、见习等记录")
    name: str | None = fact("姓名", example="张三")
    id_number: str | None = fact("公民身份号码", example="450103200101011236", note="18位，校验码按 GB 11643-1999 检查")
    birth_date: dt.date | None = fact("出生日期", example="2001-01-01", note="未填时取自身份号码")
    sex: Sex | None = fact("性别", example="male", note="male 男 / female 女；未填时取自身份号码")
    phone: str | None = fact("联系电话", example="13800000000")
    region: str | None = fact("常住地行政区划代码", example="450103", note="GB/T 2260")
    college_graduate: bool | None = fact("是否高校毕业生", example=True)
    graduation_date: dt.date | None = fact("毕业（离校）日期", example="2025-06-30")
    employed_since_graduation: bool | None = fact(
        "离校后是否曾就业", example=False, note="判断“离校2年内未就业”，截至招用或评估之日"
    )
    degree: Degree | None = fact("最高学位", example="bachelor")
    discipline: Discipline | None = fact("学科领域", example="natural_sciences")
    ever_registered_unemployed: bool | None = fact("是否办理过失业登记", example=True, note="填写登记日期时可省略")
    unemployment_registered_on: dt.date | None = fact("失业登记日期", example="2025-01-10")
    unemployment_registration_ended_on: dt.date | None = fact(
        "失业登记注销日期", example="2025-03-01", note="仍处于失业登记状态的不填"
    )
    difficult_person: bool | None = fact("已认定为就业困难人员", example=False)
    poverty_alleviated: bool | None = fact("脱贫劳动力（脱贫人口）", example=False)
    poverty_monitoring: bool | None = fact("防止返贫监测对象", example=False)
    disabled: bool | None = fact("残疾人", example=False)
    low_income_family: bool | None = fact("低保家庭成员", example=False)
    zero_employment_family: bool | None = fact("零就业家庭成员", example=False)
    rural_labour: bool | None = fact("农村劳动力", example=False)
    returning_migrant_worker: bool | None = fact("返乡入乡农民工", example=False)
    veteran: bool | None = fact("退役军人", example=False)
    veteran_self_employed: bool | None = fact("自主就业退役士兵", example=False)
    employment_card: bool | None = fact("持《就业创业证》或《就业失业登记证》", example=False)
    ui_contribution_months: Count | None = fact("累计缴纳失业保险月数", unit="月", example=24)
    involuntary_unemployment: bool | None = fact("非因本人意愿中断就业", example=True)
    seeking_work: bool | None = fact("有求职要求", example=True)
    receiving_ui_benefit: bool | None = fact("正在领取失业保险金", example=False)
    currently_employed: bool | None = fact("目前是否就业", example=False)
    living_hardship: bool | None = fact("生活困难", example=False)

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return _region(v)

    @field_validator("id_number")
    @classmethod
    def _check_id(cls, v: str | None) -> str | None:
        return None if v is None else check_id_number(v).number

    @model_validator(mode="after")
    def _derive_from_id(self) -> Person:
        if self.id_number is None:
            return self
        parsed = check_id_number(self.id_number)
        if self.birth_date is not None and self.birth_date != parsed.birth_date:
            msg = f"出生日期 {self.birth_date} 与公民身份号码中的出生日期 {parsed.birth_date} 不一致"
            raise ValueError(msg)
        if self.sex is not None and self.sex != parsed.sex:
            msg = "性别与公民身份号码第17位（奇数为男、偶数为女）不一致"
            raise ValueError(msg)
        object.__setattr__(self, "birth_date", parsed.birth_date)
        object.__setattr__(self, "sex", parsed.sex)
        return self


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
        return _region(v)

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


class Employment(_Entity):
    """招用（就业记录）：某单位招用某人，含劳动合同与社会保险缴费情况。"""

    person: str = fact("人员编号", example="P1")
    employer: str = fact("单位编号", example="E1")
    hire_date: dt.date = fact("招用（入职）日期", example="2025-03-01")
    separation_date: dt.date | None = fact("离职日期", example=None)
    labour_contract: bool | None = fact("签订劳动合同", example=True)
    contract_months: Count | None = fact("劳动合同期限", unit="月", example=36)
    open_ended_contract: bool | None = fact("无固定期限劳动合同", example=False)
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
    # -- what the money is (issue 11, item 7): with the employer's rates, the monthly contributions --
    contribution_base: Money | None = fact(
        "该职工月缴费基数",
        unit="元/月",
        example="4000",
        note="未填单位、个人月缴费额时，按缴费基数×费率计算",
    )

    @model_validator(mode="after")
    def _dates(self) -> Employment:
        if self.separation_date is not None and self.separation_date < self.hire_date:
            msg = "离职日期早于招用日期"
            raise ValueError(msg)
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


class Business(_Entity):
    """创业：创业者创办的小微企业或个体工商户。"""

    id: str = fact("经营主体编号", example="B1")
    founder: str = fact("创业者（人员编号）", example="P3")
    name: str | None = fact("经营主体名称", example="某某小吃店")
    uscc: str | None = fact("统一社会信用代码", example=None)
    form: BusinessForm | None = fact(
        "组织形式",
        example="individual_business",
        note="small_micro_enterprise 小微企业 / individual_business 个体工商户",
    )
    region: str | None = fact("注册地行政区划代码", example="450123")
    registered_on: dt.date | None = fact("工商注册登记日期", example="2024-03-01")
    township_or_below: bool | None = fact("位于乡镇及以下（不含城区、县城所在乡镇）", example=False)
    first_in_guangxi: bool | None = fact("首次在自治区内创业", example=True)
    operating_normally: bool | None = fact("正常运营", example=True)
    hires_with_pension_6m: Count | None = fact(
        "吸纳就业并缴纳养老保险满6个月的人数（不含创业者）", unit="人", example=3
    )
    # -- what the money is (issue 11, item 7) --
    tax_payable: Money | None = fact(
        "评估年度实际应缴纳的增值税、城市维护建设税、教育费附加、地方教育附加和个人所得税合计",
        unit="元",
        example="8000",
        note="扣减以此为限；未填时结果只给扣减限额",
    )

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return _region(v)

    @field_validator("uscc")
    @classmethod
    def _check_uscc(cls, v: str | None) -> str | None:
        return None if v is None else check_uscc(v)


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
    contract_months: Count | None = fact("劳动合同期限", unit="月", example=12)
    months_paid_pension: Count | None = fact("已缴纳企业职工基本养老保险月数", unit="月", example=3)


class Training(_Entity):
    """失业人员参加职业培训（用于培训期间生活费补贴）。"""

    person: str = fact("人员编号", example="P7")
    start_date: dt.date = fact("培训开始日期", example="2025-05-06")
    days: Count | None = fact("培训天数", unit="天", example=20)
    passed: bool | None = fact("培训合格", example=True)


class DistrictIndicators(_Entity):
    """辖区年度就业工作指标完成情况（用于目标监测）。"""

    region: str = fact("区县行政区划代码", example="450103")
    year: int = fact("年度", example=2025, ge=1900, le=2100)
    urban_new_jobs: Count | None = fact("城镇新增就业人数", unit="人", example=3600)
    rural_labour_transfer: Count | None = fact("农村劳动力转移就业人数", unit="人", example=4100)
    registered_unemployment_rate: Ratio | None = fact("城镇登记失业率", unit="比例", example="0.031")
    online_arbitration_rate: Ratio | None = fact("劳动人事争议线上实时办案率", unit="比例", example="0.92")

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str:
        return validate_region(str(v))


class PriorGrant(_Entity):
    """已享受的补贴（用于一次性补贴不重复享受、每年限一次等判断）。"""

    measure: str = fact("政策编号", example="gx.expansion")
    person: str | None = fact("人员编号", example="P1")
    employer: str | None = fact("单位编号", example=None)
    granted_on: dt.date = fact("享受日期", example="2025-02-01")


class Facts(_Entity):
    """一份事实文件：评估所需的人员、单位及其关系。"""

    region: str | None = fact("默认地区（行政区划代码）", example="450103")
    as_of: dt.date | None = fact("默认评估日期", example="2025-12-31")
    persons: list[Person] = Field(default_factory=list, title="人员")
    employers: list[Employer] = Field(default_factory=list, title="用人单位")
    employments: list[Employment] = Field(default_factory=list, title="招用记录")
    internships: list[Internship] = Field(default_factory=list, title="见习记录")
    businesses: list[Business] = Field(default_factory=list, title="创业经营主体")
    certificates: list[Certificate] = Field(default_factory=list, title="证书")
    apprenticeships: list[Apprenticeship] = Field(default_factory=list, title="新型学徒制")
    placements: list[Placement] = Field(default_factory=list, title="人力资源机构介绍就业")
    trainings: list[Training] = Field(default_factory=list, title="失业人员培训")
    districts: list[DistrictIndicators] = Field(default_factory=list, title="辖区指标")
    prior_grants: list[PriorGrant] = Field(default_factory=list, title="已享受补贴")
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        title="参数设定",
        description="本地参数（如当地最低工资标准）或假设测算，键为参数全名",
    )

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return _region(v)


#: Which field of which table points at a person or an employer: (table, field, target table).
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("employments", "person", "persons"),
    ("employments", "employer", "employers"),
    ("internships", "person", "persons"),
    ("internships", "employer", "employers"),
    ("businesses", "founder", "persons"),
    ("certificates", "person", "persons"),
    ("certificates", "employer", "employers"),
    ("apprenticeships", "person", "persons"),
    ("apprenticeships", "employer", "employers"),
    ("placements", "agency", "employers"),
    ("placements", "person", "persons"),
    ("placements", "employer", "employers"),
    ("trainings", "person", "persons"),
    ("prior_grants", "person", "persons"),
    ("prior_grants", "employer", "employers"),
)


def dangling_references(facts: Facts) -> list[str]:
    """Every cross-reference must name an entity of this file; report all, by row."""
    persons = {p.id for p in facts.persons}
    employers = {e.id for e in facts.employers}
    problems: list[str] = []
    for table, entities in (("persons", facts.persons), ("employers", facts.employers)):
        ids = [e.id for e in entities]
        dup = sorted({x for x in ids if ids.count(x) > 1})
        if dup:
            problems.append(f"{table}：编号重复 {'、'.join(dup)}；提示：每个编号在文件内须唯一")
    checks = [
        (table, getattr(facts, table), field, persons if target == "persons" else employers)
        for table, field, target in REFERENCES
        if table != "prior_grants"  # grants received may name entities no longer in the file
    ]
    for table, rows, field, known in checks:
        for i, row in enumerate(rows):
            ref = getattr(row, field)
            if ref is not None and ref not in known:
                what = "人员" if known is persons else "单位"
                problems.append(f"{table}[{i}].{field}：找不到编号为 {ref!r} 的{what}")
    return problems

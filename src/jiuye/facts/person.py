"""Persons: workers, graduates, the unemployed, founders, and the statuses they hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import field_validator, model_validator

from jiuye.facts.base import Count, Money, _Entity, check_window, entity_region
from jiuye.facts.enums import KEY_GROUP_LISTS, Degree, Discipline, Sex
from jiuye.facts.fields import fact
from jiuye.identifiers import check_id_number

__all__ = ["KEY_GROUP_LISTS", "Person"]


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

    # Statuses stated directly (by the bureau's systems or the person): where one disagrees with
    # what the dates and counts above imply, the stated one wins and the explanation says so.
    registered_unemployed: bool | None = fact(
        "目前处于失业登记状态（申报）",
        example=True,
        note="评估日的失业登记状态；与按失业登记、注销日期推算的结论不一致时，以本项为准",
    )
    registered_unemployed_since: dt.date | None = fact(
        "本次失业登记起始日期（申报）",
        example="2025-03-01",
        note="填写即表示自该日起至评估日持续处于失业登记状态；登记时长由此起算",
    )
    ui_insured: bool | None = fact(
        "依法参加失业保险（申报）",
        example=True,
        note="否：未参保（缴费年限条件不成立）；是：参保时长按起始日期推算，未填起始日期时按累计缴费月数",
    )
    ui_insured_since: dt.date | None = fact(
        "参加失业保险起始日期（申报）",
        example="2024-01-01",
        note="自该日起持续参保缴费至评估日；优先于累计缴纳失业保险月数",
    )
    difficult_person_since: dt.date | None = fact(
        "列入就业困难人员名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    difficult_person_until: dt.date | None = fact(
        "就业困难人员名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    poverty_alleviated_since: dt.date | None = fact(
        "列入脱贫劳动力名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    poverty_alleviated_until: dt.date | None = fact(
        "脱贫劳动力名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    poverty_monitoring_since: dt.date | None = fact(
        "列入防止返贫监测对象名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    poverty_monitoring_until: dt.date | None = fact(
        "防止返贫监测对象名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    zero_employment_family_since: dt.date | None = fact(
        "列入零就业家庭成员名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    zero_employment_family_until: dt.date | None = fact(
        "零就业家庭成员名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    low_income_family_since: dt.date | None = fact(
        "列入低保家庭成员名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    low_income_family_until: dt.date | None = fact(
        "低保家庭成员名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    disabled_since: dt.date | None = fact(
        "列入残疾人名单日期",
        example=None,
        note="人社等部门名单的列入（认定）日期；填写后按名单日期判断，优先于上方是否项",
    )
    disabled_until: dt.date | None = fact(
        "残疾人名单截止日期", example=None, note="退出名单前的最后一日（含）；仍在名单内的不填"
    )
    startup_loan_applied_on: dt.date | None = fact(
        "申请个人创业担保贷款日期", example=None, note="个人本人申请时填写；申请人群按申请之日判断"
    )
    startup_loan_amount: Money | None = fact("申请个人创业担保贷款金额", unit="元", example=None)

    @field_validator("region", mode="before")
    @classmethod
    def _check_region(cls, v: Any) -> str | None:
        return entity_region(v)

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

    @model_validator(mode="after")
    def _declared_statuses(self) -> Person:
        for flag, since, what in (
            ("registered_unemployed", "registered_unemployed_since", "失业登记"),
            ("ui_insured", "ui_insured_since", "失业保险参保"),
        ):
            if getattr(self, flag) is False and getattr(self, since) is not None:
                msg = f"申报未处于{what}状态，却填写了{what}起始日期；提示：删除其中一项"
                raise ValueError(msg)
        for group, label in KEY_GROUP_LISTS.items():
            check_window(getattr(self, f"{group}_since"), getattr(self, f"{group}_until"), f"{label}名单")
        return self

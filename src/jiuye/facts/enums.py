"""Closed vocabularies of the facts model, with the Chinese words staff use."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "KEY_GROUP_LISTS",
    "ApprenticeLevel",
    "BusinessForm",
    "CertificateLevel",
    "ContractType",
    "Degree",
    "Discipline",
    "EmployerKind",
    "Sex",
    "Size",
    "TaxCategory",
]


#: The 重点群体 lists the bureau keeps (field prefix → list name), as the four documents name them;
#: each has a yes/no field (member on the evaluation date) and a dated entry, ``<group>_since`` and
#: ``<group>_until``, which wins when given (membership is then judged on the event's date).
KEY_GROUP_LISTS: dict[str, str] = {
    "difficult_person": "就业困难人员",
    "poverty_alleviated": "脱贫劳动力",
    "poverty_monitoring": "防止返贫监测对象",
    "zero_employment_family": "零就业家庭成员",
    "low_income_family": "低保家庭成员",
    "disabled": "残疾人",
}


class Sex(StrEnum):
    male = "male"
    female = "female"


class Degree(StrEnum):
    associate = "associate"
    bachelor = "bachelor"
    master = "master"
    doctorate = "doctorate"


class Discipline(StrEnum):
    natural_sciences = "natural_sciences"
    social_sciences = "social_sciences"


class EmployerKind(StrEnum):
    enterprise = "enterprise"
    social_organisation = "social_organisation"
    public_institution = "public_institution"
    individual_business = "individual_business"
    government = "government"


class Size(StrEnum):
    large = "large"
    medium = "medium"
    small = "small"
    micro = "micro"


class TaxCategory(StrEnum):
    trade = "trade"
    service = "service"
    labour_service_processing = "labour_service_processing"
    community_processing = "community_processing"
    other = "other"


class BusinessForm(StrEnum):
    small_micro_enterprise = "small_micro_enterprise"
    individual_business = "individual_business"


class CertificateLevel(StrEnum):
    junior = "junior"
    intermediate = "intermediate"
    senior = "senior"
    technician = "technician"
    senior_technician = "senior_technician"
    special_ability = "special_ability"
    professional_qualification = "professional_qualification"


class ContractType(StrEnum):
    """《劳动合同法》第十二条 的三类劳动合同，及未签订劳动合同。"""

    fixed_term = "fixed_term"
    open_ended = "open_ended"
    task_based = "task_based"
    none = "none"


class ApprenticeLevel(StrEnum):
    intermediate = "intermediate"
    senior = "senior"
    technician = "technician"
    senior_technician = "senior_technician"


LABELS: dict[str, str] = {
    "male": "男",
    "female": "女",
    "associate": "专科",
    "bachelor": "本科",
    "master": "硕士研究生",
    "doctorate": "博士研究生",
    "natural_sciences": "自然科学领域",
    "social_sciences": "社会科学领域",
    "enterprise": "企业",
    "social_organisation": "社会组织",
    "public_institution": "事业单位",
    "individual_business": "个体工商户",
    "government": "机关",
    "large": "大型企业",
    "medium": "中型企业",
    "small": "小型企业",
    "micro": "微型企业",
    "trade": "商贸企业",
    "service": "服务型企业",
    "labour_service_processing": "劳动就业服务企业中的加工型企业",
    "community_processing": "街道社区具有加工性质的小型企业实体",
    "other": "其他",
    "small_micro_enterprise": "小微企业",
    "junior": "初级工（五级）",
    "intermediate": "中级工（四级）",
    "senior": "高级工（三级）",
    "technician": "技师（二级）",
    "senior_technician": "高级技师（一级）",
    "special_ability": "专项职业能力证书",
    "professional_qualification": "专业技术人员职业资格证书",
    "fixed_term": "固定期限劳动合同",
    "open_ended": "无固定期限劳动合同",
    "task_based": "以完成一定工作任务为期限的劳动合同",
    "none": "未签订劳动合同",
}

"""Who may claim what: the beneficiary a claim's facts name must be the subject that applies.

A claim's grant items are made from the rows of its claimant (``claimant_ref``): the employer of
an expansion subsidy, the person of a personal one. Those rows join the claimant's entity in the
facts by its id, so the entity's national number decides whose claim it is. It must be the
applying subject's number, compared by the blind index (nothing in clear), or an enterprise
could file another enterprise's hire, be paid for it, and leave the true employer "already
granted". Staff filing on someone's behalf file as that subject, and the same rule holds.

Beneficiary kinds (``Measure.beneficiary``): employer and agency are units by their 统一社会信用代码;
person is a person by their 公民身份号码; business is the business's 统一社会信用代码, or, for an
individual business without a licence code, its founder's 公民身份号码; district measures have no
claimant and are not filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiuye.engine.measure import Measure
from jiuye.facts.model import Facts
from jiuye.identifiers import mask_id
from jiuye.service.errors import ForbiddenError, InputError
from jiuye.service.models import Subject
from jiuye.service.protect import Protector

__all__ = ["ClaimantMismatchError", "check_claimant"]

_KIND_LABEL = {"enterprise": "单位", "person": "个人"}


class ClaimantMismatchError(ForbiddenError):
    code = "CLAIMANT_MISMATCH"


@dataclass(frozen=True)
class _Named:
    """One entity of the facts that the claim's items would be about: its kind and number."""

    what: str  # for people: 受益单位 E1, 创业者 P3...
    kind: str  # enterprise | person (the subject kind it must be)
    number: str | None


def _named(facts: Facts, measure: Measure, ref: str) -> list[_Named]:
    kind = measure.beneficiary
    if kind in ("employer", "agency"):
        return [_Named(f"受益单位 {e.id}", "enterprise", e.uscc) for e in facts.employers if e.id == ref]
    if kind == "person":
        return [_Named(f"受益人员 {p.id}", "person", p.id_number) for p in facts.persons if p.id == ref]
    if kind == "business":
        persons = {p.id: p for p in facts.persons}
        found: list[_Named] = []
        for b in (b for b in facts.businesses if b.id == ref):
            if b.uscc:
                found.append(_Named(f"经营主体 {b.id}", "enterprise", b.uscc))
            else:  # unlicensed individual business: its founder claims
                founder = persons.get(b.founder)
                number = founder.id_number if founder else None
                found.append(_Named(f"经营主体 {b.id} 的创业者 {b.founder}", "person", number))
        return found
    msg = f"{measure.title}是辖区层面的政策，不能由单位或个人申请"
    raise InputError(msg)


def check_claimant(facts: Facts, measure: Measure, ref: str, subject: Subject, protector: Protector) -> None:
    """Refuse unless every entity ``ref`` names in ``facts`` is ``subject`` (by its national number)."""
    named = _named(facts, measure, ref)
    if not named:
        msg = f"事实中没有编号为 {ref!r} 的申请对象（{measure.title}的受益方）；提示：检查 claimant_ref 与事实中的编号"
        raise InputError(msg)
    who = f"申请{_KIND_LABEL.get(subject.kind, '对象')}（{subject.name}，{subject.number_masked}）"
    for entity in named:
        label = "统一社会信用代码" if entity.kind == "enterprise" else "公民身份号码"
        if entity.kind != subject.kind:
            msg = (
                f"事实中的{entity.what}应为{_KIND_LABEL[entity.kind]}，与{who}不符；"
                f"提示：{measure.title}只能由受益{_KIND_LABEL[entity.kind]}本身申请（或经办人员代其申请）"
            )
            raise ClaimantMismatchError(msg)
        if not entity.number:
            msg = f"事实中的{entity.what}缺少{label}，无法确认是{who}；提示：填写号码后重新提交"
            raise InputError(msg)
        index = protector.blind_index("uscc" if entity.kind == "enterprise" else "id_number", entity.number)
        if index != subject.number_index:
            msg = (
                f"事实中的{entity.what}的{label}为 {mask_id(entity.number)}，与{who}不符；"
                "提示：只能为本单位或本人申请，其他单位或个人的补贴由其本人申请，补贴只发给受益方本身"
            )
            raise ClaimantMismatchError(msg)

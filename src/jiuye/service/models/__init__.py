"""Tables of the case service; importing this package registers them all on ``Base.metadata``."""

from jiuye.service.models.access import LoginThrottle, Registration
from jiuye.service.models.audit import AuditEvent, AuditHead
from jiuye.service.models.background import JOB_STATES, BackgroundJob
from jiuye.service.models.base import Base
from jiuye.service.models.cases import Application, Approval, GrantItem
from jiuye.service.models.deliveries import DeliveryDocument
from jiuye.service.models.evidence import EvidenceFile
from jiuye.service.models.funds import FundAllocation
from jiuye.service.models.identity import IDENTITY_PENDING, IDENTITY_VERIFIED, BankAccount, Subject
from jiuye.service.models.jobs import Graduate, JobPosting, JobPush, ServiceEvent
from jiuye.service.models.parameters import LocalParameterFile
from jiuye.service.models.payments import LIVE_PAYMENT, Payment, PaymentBatch
from jiuye.service.models.safety import ClaimPerson, SafetyHit
from jiuye.service.models.users import ROLES, User

__all__ = [
    "IDENTITY_PENDING",
    "IDENTITY_VERIFIED",
    "JOB_STATES",
    "LIVE_PAYMENT",
    "ROLES",
    "Application",
    "Approval",
    "AuditEvent",
    "AuditHead",
    "BackgroundJob",
    "BankAccount",
    "Base",
    "ClaimPerson",
    "DeliveryDocument",
    "EvidenceFile",
    "FundAllocation",
    "Graduate",
    "GrantItem",
    "JobPosting",
    "JobPush",
    "LocalParameterFile",
    "LoginThrottle",
    "Payment",
    "PaymentBatch",
    "Registration",
    "SafetyHit",
    "ServiceEvent",
    "Subject",
    "User",
]

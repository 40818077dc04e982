"""A small world for claim tests: staff and two enterprises in the demo district, claims on gx.expansion."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.cn import ric, uscc

from jiuye.params import load_parameters
from jiuye.payments import Outcome, simulate_return
from jiuye.service import applications as apps
from jiuye.service import disbursement as pay
from jiuye.service.accounts import add_bank_account
from jiuye.service.auth import Caller, create_user
from jiuye.service.db import make_engine, make_sessions, transaction
from jiuye.service.models import Application, GrantItem
from jiuye.service.protect import Protector
from jiuye.service.subjects import register_subject

PASSWORD = "correct horse battery"
PAYER = "6222000011112222333"  # the fund's account in bank files
SUBMITTED, APPROVED_ON, CLOSED_ON = dt.date(2025, 12, 1), dt.date(2025, 12, 2), dt.date(2025, 12, 10)


def id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


PERSON = id_number("45010320030501123")  # born 2003-05-01: 21 when hired
OTHER_PERSON = id_number("45010320040202234")
FIRMS = {"E1": credit_code("91450103MA5KD0001"), "E2": credit_code("91450103MA5KD0002")}
#: A firm in the neighbouring district (江南区), with its own staff: see :meth:`World.add_district`.
OTHER_DISTRICT, OTHER_FIRM = "450105", credit_code("91450105MA5KD0003")


def facts(employer: str, person: str = PERSON, hire: str = "2025-03-01") -> dict[str, Any]:
    """One hire of a registered unemployed young person, three insurances paid 10 months."""
    return {
        "employers": [{"id": employer, "uscc": FIRMS[employer], "kind": "enterprise", "region": "450103"}],
        "persons": [
            {
                "id": "P1",
                "id_number": person,
                "unemployment_registered_on": "2025-01-10",
                "unemployment_registration_ended_on": "2025-03-01",
            }
        ],
        "employments": [
            {
                "person": "P1",
                "employer": employer,
                "hire_date": hire,
                "labour_contract": True,
                "months_paid_ui": 10,
                "months_paid_injury": 10,
                "months_paid_pension": 10,
            }
        ],
    }


class World:
    def __init__(self, url: str) -> None:
        self.db = make_engine(url)
        self.keys = {k: os.urandom(32) for k in ("index", "encryption", "fingerprint", "audit")}
        self.sessions: sessionmaker[Session] = make_sessions(self.db, audit_key=self.keys["audit"])
        self.protector = Protector(self.keys["index"], self.keys["encryption"])
        self.fingerprint_key = self.keys["fingerprint"]
        self.engine = apps.Engine(load_parameters(), self.protector)
        self.callers: dict[str, Caller] = {}
        self.subjects: dict[str, int] = {}
        with transaction(self.sessions) as session:
            for name, role in (
                ("clerk", "caseworker"),
                ("reviewer1", "reviewer"),
                ("reviewer2", "reviewer"),
                ("finance", "finance"),
                ("finance2", "finance"),  # a second pair of eyes, e.g. for voids
            ):
                self._user(session, name, role, None)
            for ref, number in FIRMS.items():
                self._firm(session, ref, number, "450103", "clerk")

    def add_district(self) -> None:
        """Staff of the neighbouring district and firm E3 there (another region, one deployment)."""
        with transaction(self.sessions) as session:
            for name, role in (("clerk3", "caseworker"), ("reviewer3", "reviewer"), ("finance3", "finance")):
                self._user(session, name, role, None, OTHER_DISTRICT)
            self._firm(session, "E3", OTHER_FIRM, OTHER_DISTRICT, "clerk3")

    def add_person(self, ref: str, number: str) -> None:
        """A person registered in the demo district who claims for themselves (login ``firm_<ref>``,
        so :meth:`claim` files as them)."""
        with transaction(self.sessions) as session:
            subject = register_subject(
                session, self.protector, self.callers["clerk"], kind="person", number=number, name=f"个人{ref}",
                region="450103",
            )  # fmt: skip
            self.subjects[ref] = subject.id
            self._user(session, f"firm_{ref}", "individual", subject.id)

    def _firm(self, session: Session, ref: str, number: str, region: str, clerk: str) -> None:
        subject = register_subject(
            session, self.protector, self.callers[clerk], kind="enterprise", number=number, name=f"企业{ref}",
            region=region,
        )  # fmt: skip
        self.subjects[ref] = subject.id
        self._user(session, f"firm_{ref}", "enterprise", subject.id, region)

    def _user(self, session: Session, name: str, role: str, subject: int | None, region: str = "450103") -> None:
        user = create_user(
            session, username=name, password=PASSWORD, role=role, region=region, display_name=name, subject_id=subject
        )
        self.callers[name] = Caller(user.id, name, role, region, subject)

    def claim(
        self,
        employer: str,
        person: str = PERSON,
        *,
        data: dict[str, Any] | None = None,
        measure: str = "gx.expansion",
        claimant: str | None = None,
    ) -> int:
        """The enterprise files and submits (``data``: other facts than :func:`facts`); the
        engine's automatic check runs."""
        firm = self.callers[f"firm_{employer}"]
        with transaction(self.sessions) as session:
            app = apps.create_application(
                session, self.engine, firm, measure_id=measure, subject_id=self.subjects[employer],
                claimant_ref=claimant or employer, facts=data or facts(employer, person),
            )  # fmt: skip
            app_id = app.id
        with transaction(self.sessions) as session:
            apps.submit(session, self.engine, firm, app_id, today=SUBMITTED)
        return app_id

    def to_notice(self, app_id: int) -> Application:
        self.step(apps.accept, self.callers["clerk"], app_id)
        return self.step(apps.approve, self.callers["reviewer1"], app_id, today=APPROVED_ON)

    def grant(self, employer: str, person: str = PERSON) -> int:
        """A claim taken all the way to approval (granted in the ledger)."""
        app_id = self.claim(employer, person)
        self.to_notice(app_id)
        self.step(apps.close_notice, self.engine, None, app_id, today=CLOSED_ON)
        return app_id

    def open_accounts(self) -> None:
        """A receiving bank account for each enterprise, opened long before any pay date."""
        for ref, number in (("E1", "6217000011112222001"), ("E2", "6217000011112222002")):
            self.step(
                add_bank_account, self.protector, self.callers["finance"], self.subjects[ref],
                bank_name="示例银行", holder_name=f"企业{ref}", account_no=number, today=dt.date(2025, 1, 1),
            )  # fmt: skip

    def step(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        with transaction(self.sessions) as session:
            return fn(session, *args, **kwargs)

    def export(self, batch_id: int) -> bytes:
        """The bank file of a batch, exported by finance."""
        args = (self.protector, self.fingerprint_key, self.callers["finance"], batch_id)
        data: bytes = self.step(pay.export_batch, *args, payer_account=PAYER)
        return data

    def bank_return(self, batch_id: int, outcomes: dict[int, Outcome] | None = None) -> bytes:
        """What the bank sends back for a batch: outcomes by application id (default: paid)."""
        with self.sessions() as session:
            batch = session.get(pay.PaymentBatch, batch_id)
            finance = self.callers["finance"]
            sent, payments = pay.bank_batch(session, self.protector, self.fingerprint_key, finance, batch, PAYER)
            by_key = {p.idempotency_key: (outcomes or {}).get(p.application_id, Outcome.PAID) for p in payments}
        return simulate_return(sent, by_key, at=dt.datetime(2025, 12, 16, 10, 0))

    def import_return(self, batch_id: int, data: bytes) -> Any:
        args = (self.protector, self.fingerprint_key, self.callers["finance"], batch_id, data)
        return self.step(pay.import_return, *args, payer_account=PAYER)

    def live_items(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).where(GrantItem.status == "live")) or 0)


#: Both firms' claims granted, one hire each: what payment tests pay.
TWO_GRANTS = (("E1", PERSON), ("E2", OTHER_PERSON))


@contextmanager
def built_world(url: str, *, accounts: bool = False, granted: tuple[tuple[str, str], ...] = ()) -> Iterator[World]:
    """A world for one test: the firms' bank accounts opened (``accounts``), then each (firm, person)
    of ``granted`` claimed and granted; its engine disposed of afterwards."""
    world = World(url)
    try:
        if accounts:
            world.open_accounts()
        for firm, person in granted:
            world.grant(firm, person)
        yield world
    finally:
        world.db.dispose()

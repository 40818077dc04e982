"""How an approved benefit reaches its beneficiary (交付方式), declared per measure as data.

Only a bank payment is money sent from a fund to the beneficiary's account. A tax deduction is
applied by the tax bureau (a list and a per-taxpayer certificate), a fee reduction or deferral by
the social insurance agency (a decision notice), a guaranteed loan's interest subsidy is settled
with the lending bank (a settlement list), and a recognition or filing ends in a record. Some
measures (targets, schedules, taxonomies) are not claimable at all. ``forms.yaml`` says which, with
the words of the policy that say so or a named assumption.
"""

from jiuye.delivery.forms import Delivery, Form, all_deliveries, cash_measures, delivery_of, load_deliveries
from jiuye.delivery.loans import LoanTerms, Settlement, settle

__all__ = [
    "Delivery",
    "Form",
    "LoanTerms",
    "Settlement",
    "all_deliveries",
    "cash_measures",
    "delivery_of",
    "load_deliveries",
    "settle",
]

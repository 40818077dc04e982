"""Unit tables: integer keys consistent across units, joins limited to the columns asked for,
exact money conversion, and the schema every table has."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.engine.measure import Unit
from jiuye.facts import facts_from_data
from jiuye.facts import model as m
from jiuye.facts.tables import (
    KEY_DTYPE,
    UNITS,
    build_tables,
    empty_table,
    engine_columns,
    partner_frames,
    registry_from_facts,
    registry_schema,
    tables_from_registry,
    unit_frame,
)
from random_facts import random_facts


def _merged(seeds: range) -> m.Facts:
    merged: dict[str, list[object]] = {}
    for seed in seeds:
        for key, rows in random_facts(seed, tag=f"D{seed}-").items():
            merged.setdefault(key, []).extend(rows)
    return facts_from_data(merged)


def test_keys_name_the_same_person_and_employer_in_every_unit() -> None:
    facts = _merged(range(12))
    tables = build_tables(facts)
    persons = dict(tables[Unit.person].select("person_id", "person_key").iter_rows())
    employers = dict(tables[Unit.employer].select("employer_id", "employer_key").iter_rows())
    assert tables[Unit.person]["person_key"].to_list() == list(range(len(facts.persons)))
    assert len(set(employers.values())) == len(facts.employers)
    checked = 0
    for unit, table in tables.items():
        for prefix, keys in (("person", persons), ("employer", employers), ("agency", employers)):
            if f"{prefix}_key" not in table.columns:
                continue
            assert table.schema[f"{prefix}_key"] == KEY_DTYPE, (unit, prefix)
            for text, key in table.select(f"{prefix}_id", f"{prefix}_key").iter_rows():
                assert key == (keys[text] if text is not None else None), (unit, prefix, text)
                checked += 1
    assert checked > 100


def test_an_absent_partner_has_no_key_and_the_unit_row_is_kept() -> None:
    facts = facts_from_data(
        {
            "persons": [{"id": "P1"}],
            "employers": [{"id": "E1"}],
            "employments": [{"person": "P1", "employer": "E1", "hire_date": "2025-02-01"}],
        }
    )
    registry = registry_from_facts(facts)
    hires = registry["employments"].collect()
    dangling = hires.with_columns(pl.lit("P9").alias("person"))  # a registry read with skip_bad may hold one
    registry["employments"] = pl.concat([dangling, hires]).lazy()
    table = tables_from_registry(registry)[Unit.employment].collect()
    assert table.select("employment_person", "person_id", "person_key", "employer_key").rows() == [
        ("P9", None, None, 0),
        ("P1", "P1", 0, 0),
    ]


def test_every_table_has_the_schema_of_its_empty_table() -> None:
    tables = build_tables(_merged(range(5)))
    for unit, table in tables.items():
        assert table.schema == empty_table(unit).schema, unit


def test_a_unit_joins_only_the_partners_its_columns_read() -> None:
    facts = _merged(range(8))
    registry = registry_from_facts(facts)
    partners = partner_frames(registry)
    own = ["employment_hire_date", "employment_contract_months"]
    alone = unit_frame(Unit.employment, registry, partners, columns=own).collect()
    assert not [c for c in alone.columns if c.startswith(("person_", "employer_"))]
    with_person = unit_frame(Unit.employment, registry, partners, columns=[*own, "person_birth_date"]).collect()
    assert {c for c in with_person.columns if c.startswith(("person_", "employer_"))} == {
        "person_id",
        "person_key",
        "person_birth_date",
    }
    agency = unit_frame(Unit.placement, registry, partners, columns=["agency_region"]).collect()
    assert {c for c in agency.columns if c.startswith("agency_")} == {"agency_id", "agency_key", "agency_region"}


def test_limited_joins_give_the_same_values() -> None:
    facts = _merged(range(10))
    full = build_tables(facts)
    wanted = {
        Unit.employment: ["employment_hire_date", "person_birth_date", "employer_derived_size", "employer_key"],
        Unit.placement: ["placement_placed_on", "agency_region", "agency_key", "person_id"],
        Unit.business: ["business_registered_on", "person_college_graduate"],
    }
    limited = build_tables(facts, list(wanted), columns=wanted)
    for unit, columns in wanted.items():
        assert limited[unit].select(columns).equals(full[unit].select(columns)), unit
        assert limited[unit].height == full[unit].height


_MONEY = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)
_WAN = st.decimals(min_value=Decimal("-9999999.9999"), max_value=Decimal("9999999.9999"), places=4)
_RATIO = st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=6)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.none() | _MONEY, st.none() | _WAN, st.none() | _RATIO), min_size=1, max_size=20))
def test_money_becomes_exact_fen_and_ratios_ppm(rows: list[tuple[Decimal | None, ...]]) -> None:
    schema = registry_schema(m.Employer)
    frame = pl.DataFrame(
        [{"id": f"E{i}", "tax_payable": a, "revenue": b, "ui_rate": c} for i, (a, b, c) in enumerate(rows)],
        schema={name: schema[name] for name in ("id", "tax_payable", "revenue", "ui_rate")},
    )
    full = frame.lazy().select(pl.col(n) if n in frame.columns else pl.lit(None, t).alias(n) for n, t in schema.items())
    out = engine_columns(full, m.Employer, "employer").collect()
    fen = [None if a is None else int(a * 100) for a, _, _ in rows]
    wan = [None if b is None else int(b * 1_000_000) for _, b, _ in rows]
    ppm = [None if c is None else int(c * 1_000_000) for _, _, c in rows]
    assert out["employer_tax_payable"].to_list() == fen
    assert out["employer_revenue"].to_list() == wan
    assert out["employer_ui_rate"].to_list() == ppm


def test_units_cover_every_unit() -> None:
    assert set(UNITS) == set(Unit)

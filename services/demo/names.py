"""Invented but plausible units and people for the demo database, set in 中卫市.

Places and township names are real (``services/demo/demo_data.yaml``); unit names, people and
统一社会信用代码 are made up. Credit codes are built the way GB 32100 builds them:
登记管理部门码 and 机构类别码 for the kind of unit, the county's 行政区划代码, a 主体标识码 whose
ninth character is the GB 11714 check character, and the GB 32100 check character at the end,
so every code passes :func:`rules.credit_code.validate`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from checklists.datafiles import SAFE_LOADER
from resources import resource_path
from rules.credit_code import check_character

DATA_FILE = resource_path("services", "demo", "demo_data.yaml")
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # also valid in the credit-code alphabet
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门码 + 机构类别码 per kind of unit (GB 32100 附录).
PREFIX = {"company": "91", "institution": "12", "organ": "11", "union": "81", "civil": "52",
          "individual": "92"}


@cache
def demo_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data: Any = yaml.load(fh, Loader=SAFE_LOADER)
    if not isinstance(data, dict) or not data.get("counties"):
        raise ValueError(f"{DATA_FILE.name}：缺少 counties")
    positions = data.get("party_positions")
    if not isinstance(positions, dict) or not positions or not all(
            isinstance(v, list) and v and all(isinstance(p, str) for p in v)
            for v in positions.values()):
        raise ValueError(f"{DATA_FILE.name}：party_positions 应按单位类别列出职务")
    return dict(data)


@dataclass(frozen=True)
class DemoUnit:
    name: str
    type_code: str
    credit_code: str
    county_code: str
    address: str
    contact_name: str
    contact_phone: str
    facts: dict[str, Any]


def org_code_check(first8: str) -> str:
    """GB 11714 check character of an organisation code's first eight characters."""
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(rng: random.Random, kind: str, county: str) -> str:
    body = "".join(rng.choice(_ORG_ALPHABET) for _ in range(8))
    first17 = PREFIX[kind] + county + body + org_code_check(body)
    return first17 + check_character(first17)


def person(rng: random.Random) -> str:
    d = demo_data()
    return str(rng.choice(d["surnames"])) + "".join(
        rng.choice(d["given"]) for _ in range(rng.choice((1, 2, 2))))


def phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"0955-{rng.randint(3000000, 7999999)}"
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


class UnitFactory:
    """Makes unique units; the mix of kinds follows the weights in :meth:`make`."""

    MIX = (("company", 34), ("childcare", 30), ("public_place", 20), ("institution", 8),
           ("government", 8))

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.data = demo_data()
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def make(self) -> DemoUnit:
        kind = self.rng.choices([k for k, _ in self.MIX], [w for _, w in self.MIX])[0]
        for attempt in range(400):
            unit: DemoUnit | None = getattr(
                self, f"_{kind if attempt < 40 else 'company'}")(attempt)
            if unit is not None:  # a name not taken yet (see _unit)
                self.names.add(unit.name)
                return unit
        raise RuntimeError("demo names exhausted")

    def _county(self) -> dict[str, Any]:
        counties: list[dict[str, Any]] = self.data["counties"]
        return self.rng.choices(counties, [c["weight"] for c in counties])[0]

    def _place(self, county: dict[str, Any]) -> tuple[str, str]:
        town = self.rng.choice(sorted(county["townships"]))
        street = self.rng.choice(county["townships"][town])
        number = self.rng.randint(1, 288)
        return town, f"宁夏回族自治区中卫市{county['name']}{town}{street}{number}号"

    def _code(self, kind: str, county: str) -> str:
        while True:
            code = credit_code(self.rng, kind, county)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _unit(self, name: str, type_code: str, kind: str, county: dict[str, Any],
              address: str, facts: dict[str, Any]) -> DemoUnit | None:
        """The unit, or None if its name is taken (before its code and contact are drawn)."""
        if name in self.names:
            return None
        return DemoUnit(name, type_code, self._code(kind, county["code"]), county["code"],
                        address, person(self.rng), phone(self.rng), facts)

    def _company(self, attempt: int) -> DemoUnit | None:
        d, rng = self.data, self.rng
        county = self._county()
        where = rng.choice((county["name"], county["name"], "宁夏", "中卫市"))
        town, address = self._place(county)
        if attempt > 20:
            where = f"{county['name']}{town}"
        name = (f"{where}{rng.choice(d['company_stems'])}{rng.choice(d['company_trades'])}"
                f"{rng.choice(d['company_suffixes'])}")
        park = rng.random() < 0.08
        if park:
            name = f"{county['name']}{rng.choice(('工业园区', '枸杞加工城', '商务大厦'))}"
            if attempt:
                name += f"（{rng.choice(d['company_stems'])}片区）"
        return self._unit(name, "industrial_park" if park else "enterprise", "company",
                          county, address, self._employer_facts())

    def _childcare(self, attempt: int) -> DemoUnit | None:
        d, rng = self.data, self.rng
        county = self._county()
        town, address = self._place(county)
        type_code = rng.choices(sorted(d["childcare_kinds"]), (3, 2, 6, 2, 4))[0]
        kind_word = rng.choice(d["childcare_kinds"][type_code])
        if type_code == "kindergarten_class" and kind_word.startswith("中心"):
            name = f"{town}{kind_word}"
        else:
            name = f"{county['name']}{rng.choice(d['childcare_words'])}{kind_word}"
        if attempt > 3:
            name = f"{town}{rng.choice(d['childcare_words'])}{kind_word}"
        if attempt > 12:
            name = f"{town}{rng.choice(d['childcare_words'])}第{attempt}{kind_word}"
        kind = {"kindergarten_class": "institution", "family_childcare": "individual",
                "employer_childcare": "company"}.get(type_code, "civil")
        return self._unit(name, type_code, kind, county, address, self._childcare_facts())

    def _public_place(self, attempt: int) -> DemoUnit | None:
        rng = self.rng
        county = self._county()
        places = self.data["public_places"]
        type_code = rng.choice(sorted(places))
        name = f"{county['name']}{rng.choice(places[type_code])}"
        if attempt > 2:
            name = f"{county['name']}{self._place(county)[0]}{rng.choice(places[type_code])}"
        kind = "institution" if type_code in ("hospital_public", "public_service_hall") \
            else "company"
        _town, address = self._place(county)
        return self._unit(name, type_code, kind, county, address, self._place_facts())

    def _institution(self, attempt: int) -> DemoUnit | None:
        county = self._county()
        name = f"{county['name']}{self.rng.choice(self.data['institutions'])}"
        if attempt > 3:
            name = f"{county['name']}{self._place(county)[0]}卫生院"
        _town, address = self._place(county)
        return self._unit(name, "public_institution", "institution", county, address,
                          self._employer_facts())

    def _government(self, attempt: int) -> DemoUnit | None:
        d = self.data
        county = next(c for c in d["counties"] if c["code"] == d["supervised_county"])
        dept = self.rng.choice(d["government_departments"])
        name = f"{county['name']}{dept}"
        if attempt > 8:
            return None
        _town, address = self._place(county)
        kind = "union" if dept == "总工会" else "organ"
        return self._unit(name, "government_department", kind, county, address,
                          {"department_kind": d["department_kinds"][dept]})

    def _employer_facts(self) -> dict[str, Any]:
        rng = self.rng
        staff = rng.choice((25, 48, 80, 120, 260, 520, 1100))
        women = int(staff * rng.uniform(0.2, 0.75))
        return {"employees": staff, "female_employees": women,
                "many_female_employees": women >= 100,
                "pregnant_or_nursing_employees": rng.random() < 0.6,
                "night_shift": rng.random() < 0.3, "hazardous_work": rng.random() < 0.2,
                "has_collective_contract": rng.random() < 0.5,
                "has_mother_infant_room": rng.random() < 0.4}

    def _childcare_facts(self) -> dict[str, Any]:
        rng = self.rng
        capacity = rng.choice((15, 30, 60, 90, 150))
        return {"capacity": capacity, "enrolled_children": int(capacity * rng.uniform(0.4, 1)),
                "inclusive": rng.random() < 0.6, "fire_key_unit": capacity >= 90,
                "uses_gas": rng.random() < 0.4, "has_kitchen": rng.random() < 0.6,
                "floor_of_rooms": rng.choice((1, 1, 2, 3)),
                # the building's 耐火等级 decides which storeys its rooms may be on
                "fire_resistance_grade": rng.choices(("一级", "二级", "三级", "四级"),
                                                     (30, 50, 15, 5))[0],
                "registered_with_health": rng.random() < 0.85,
                "full_day_care": rng.random() < 0.7}

    def _place_facts(self) -> dict[str, Any]:
        rng = self.rng
        area = rng.choice((2000, 6000, 12000, 30000))
        return {"building_area_m2": area, "daily_visitors": rng.choice((500, 3000, 12000)),
                "frequent_mother_infant": rng.random() < 0.7,
                "has_mother_infant_room": rng.random() < 0.6,
                "fire_key_unit": area >= 10000}

"""The list's stored rate and superseded flag stay equal to a recomputation through any mix of
recording, carrying forward (回头看), signing and amending."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

from models.db import Database
from rules.inspection_status import FAIL, RESULTS, ROLE_OFFICER, SELF_CHECK
from services.amendments import amend_inspection
from services.findings import record_finding
from services.inspection_access import InspectionError
from services.inspection_lifecycle import complete_inspection, sign_inspection
from services.lookback import carry_forward
from services.result_counts import recount
from services.signatures import add_signature
from tests.services.inspection_fixtures import (
    AREA,
    checklist,
    list_columns_drift,
    new_entity,
    new_inspection,
    officers,
)

UNCHECKED_REASON = "本次只检查与本测试有关的项目"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (60, 20), 0).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_rate_and_flag_equal_a_recomputation_after_random_operations(
        db: Database, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    codes = [i.code for i in checklist().items
             if i.answer.type == "compliance" and i.code != AREA]
    with db.session() as s:
        units = [new_entity(s, name=f"某某商业广场{n}") for n in range(2)]
    drafts: dict[int, int] = {}  # inspection -> unit
    signed: dict[int, int] = {}
    amended = 0
    for step in range(60):
        op = rng.random()
        with db.session() as s:
            if op < 0.15 or not drafts:
                unit = rng.choice(units)
                made = new_inspection(s, kind=SELF_CHECK, people=officers(1), entity_id=unit)
                drafts[made.id] = unit
            elif op < 0.6:
                record_finding(s, rng.choice(list(drafts)), rng.choice(codes),
                               result=rng.choice(RESULTS), note="现场说明")
            elif op < 0.7:
                target = rng.choice(list(drafts))
                sources = [i for i, u in {**drafts, **signed}.items()
                           if u == drafts[target] and i != target]
                if sources:
                    carry_forward(s, target, rng.choice(sources))
            elif op < 0.85:
                made = rng.choice(list(drafts))
                try:
                    complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON)
                    add_signature(s, made, role=ROLE_OFFICER, name="检查员1", png=_png(),
                                  store_root=tmp_path)
                    sign_inspection(s, made)
                except InspectionError:
                    s.rollback()
                    continue
                signed[made] = drafts.pop(made)
            elif signed:
                old = rng.choice(list(signed))
                new = amend_inspection(s, old, reason="复核后更正")
                drafts[new.id] = signed.pop(old)  # the old one is superseded: never again
                amended += 1
                record_finding(s, new.id, rng.choice(codes), result=FAIL, note="更正")
        assert list_columns_drift(db) == [], f"after step {step}"
    with db.session() as s:  # a recount leaves them as they were kept
        for made in [*drafts, *signed]:
            recount(s, made)
    assert list_columns_drift(db) == []
    assert amended, "the operations should include amendments"

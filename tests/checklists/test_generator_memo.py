"""The memoising generator: for any selection it gives what :func:`generate` gives, and
selections that differ only in facts no condition reads share the generated items."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.catalog_view import from_parsed
from checklists.checklist_model import Selection
from checklists.generator import Generator, SelectionError, facts_read, generate
from checklists.parsing import parse_text
from checklists.template_model import Theme
from checklists.templates import load_themes
from checklists.vocabulary import Fact, load_vocabulary
from services.catalog_store import bundled_policy_files

AS_OF = date(2026, 1, 15)
WHEN = datetime(2026, 1, 15, 4, 0, tzinfo=UTC)
VOCAB = load_vocabulary()
THEMES = load_themes()
CATALOG = from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())
REGIONS = (None, "640521", "640502", "640522", "610300", "450223")


def _value(fact: Fact) -> st.SearchStrategy[Any]:
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "number":  # around the thresholds the conditions use, ints and floats
        return st.integers(0, 30_000) | st.sampled_from((0.0, 1.0, 20.0, 100.0, 10_000.0))
    if fact.type == "choice" and fact.choices:
        return st.sampled_from(fact.choices)
    return st.text(max_size=3)


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    themes = draw(st.lists(st.sampled_from([t.code for t in THEMES]), min_size=1, max_size=2,
                           unique=True))
    entity_type = draw(st.sampled_from([None] + [t.code for t in VOCAB.entity_types]))
    facts = {}
    for fact in draw(st.lists(st.sampled_from(VOCAB.facts), max_size=8, unique=True)):
        facts[fact.code] = draw(st.none() | _value(fact))
    documents = tuple(draw(st.lists(st.sampled_from([d.id for d in CATALOG]), max_size=2,
                                    unique=True)))
    kinds = ("卫生健康", "消防救援", "人力资源和社会保障")
    departments = tuple(draw(st.lists(st.sampled_from(kinds), max_size=1)))
    return Selection(themes=tuple(themes), documents=documents, entity_type=entity_type,
                     facts=facts, departments=departments,
                     jurisdiction=draw(st.sampled_from(REGIONS)))


@pytest.fixture(scope="module")
def memo() -> Generator:
    return Generator(CATALOG, THEMES, as_of=AS_OF, vocab=VOCAB)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(first=selections(), second=selections())
def test_memo_gives_what_generate_gives(memo: Generator, first: Selection,
                                        second: Selection) -> None:
    # the second selection shares the first one's settings but for its facts, so that the
    # memo is consulted with facts that differ from those it generated for
    second = Selection(first.themes, first.documents, first.entity_type, second.facts,
                       first.departments, first.jurisdiction)
    for selection in (first, second, first):
        try:
            expected = generate(selection, CATALOG, THEMES, as_of=AS_OF, generated_at=WHEN,
                                vocab=VOCAB)
        except SelectionError as exc:
            with pytest.raises(SelectionError, match=str(exc)):
                memo.generate(selection, generated_at=WHEN)
            continue
        assert memo.generate(selection, generated_at=WHEN) == expected


def _theme(code: str) -> Theme:
    return next(t for t in THEMES if t.kind == "onsite" and t.code == code)


def test_facts_no_condition_reads_share_the_generated_items(memo: Generator) -> None:
    theme = next(t for t in THEMES if t.kind == "onsite" and facts_read([t]))
    unread = next(f for f in VOCAB.facts if f.code not in facts_read([theme])
                  and f.type == "bool")
    made = [memo.generate(Selection(themes=(theme.code,), facts={unread.code: value}),
                          generated_at=WHEN) for value in (True, False)]
    assert made[0].items is made[1].items
    assert [m.selection.facts for m in made] == [{unread.code: True}, {unread.code: False}]
    assert made[1] == generate(made[1].selection, CATALOG, THEMES, as_of=AS_OF,
                               generated_at=WHEN, vocab=VOCAB)


def test_a_read_fact_gives_its_own_checklist(memo: Generator) -> None:
    theme, fact = next((t, f) for t in THEMES if t.kind == "onsite" for f in VOCAB.facts
                       if f.type == "bool" and f.code in facts_read([t]))
    made = [memo.generate(Selection(themes=(theme.code,), facts={fact.code: value}),
                          generated_at=WHEN) for value in (True, False)]
    assert made[0].items is not made[1].items


def test_equal_numbers_of_another_type_give_what_generate_gives(memo: Generator) -> None:
    """1 and 1.0 are equal keys; the checklist of each is still what generate gives."""
    read = {code for t in THEMES for code in facts_read([t])}
    fact = next(f for f in VOCAB.facts if f.type == "number" and f.code in read)
    theme = next(t for t in THEMES if fact.code in facts_read([t]))
    for value in (1, 1.0, 1, 1.0):
        selection = Selection(themes=(theme.code,), facts={fact.code: value})
        assert memo.generate(selection, generated_at=WHEN) == generate(
            selection, CATALOG, THEMES, as_of=AS_OF, generated_at=WHEN, vocab=VOCAB)


def test_the_time_of_generation_is_each_call_s_own(memo: Generator) -> None:
    selection = Selection(themes=(THEMES[0].code,))
    later = datetime(2026, 1, 16, tzinfo=UTC)
    assert memo.generate(selection, generated_at=WHEN).generated_at == WHEN
    assert memo.generate(selection, generated_at=later).generated_at == later
    now = datetime.now(UTC)
    assert now - memo.generate(selection).generated_at < timedelta(minutes=1)

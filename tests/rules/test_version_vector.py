"""Version vectors order revisions: newer replaces older, concurrent edits are seen as such."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rules.version_vector import (
    CONCURRENT,
    EQUAL,
    NEWER,
    OLDER,
    bumped,
    compare,
    effective,
    merged,
)

devices = st.sampled_from(["a", "b", "c", "d"])
vectors = st.dictionaries(devices, st.integers(min_value=1, max_value=20), max_size=4)


def test_a_record_without_a_vector_reads_as_its_device_edit_count() -> None:
    assert effective(None, "dev", 3) == {"dev": 3}
    assert effective({}, None, None) == {"?": 1}
    assert effective({"x": 2}, "dev", 9) == {"x": 2}


@given(vectors, devices)
def test_an_edit_is_newer_than_what_it_was_made_from(v: dict[str, int], device: str) -> None:
    after = bumped(v, device)
    assert compare(after, v) == NEWER
    assert compare(v, after) == OLDER


@given(vectors, devices, devices)
def test_edits_on_two_devices_from_one_revision_are_concurrent(v: dict[str, int], a: str,
                                                                b: str) -> None:
    left, right = bumped(v, a), bumped(v, b)
    assert compare(left, right) == (EQUAL if a == b else CONCURRENT)


@given(vectors, vectors)
def test_compare_is_antisymmetric(a: dict[str, int], b: dict[str, int]) -> None:
    flipped = {NEWER: OLDER, OLDER: NEWER, EQUAL: EQUAL, CONCURRENT: CONCURRENT}
    assert compare(b, a) == flipped[compare(a, b)]


@given(vectors, vectors, devices)
def test_a_merge_then_an_edit_is_newer_than_both(a: dict[str, int], b: dict[str, int],
                                                 device: str) -> None:
    resolved = bumped(merged(a, b), device)
    assert compare(resolved, a) == NEWER
    assert compare(resolved, b) == NEWER
    assert merged(a, b) == merged(b, a)

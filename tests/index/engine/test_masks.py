"""Masked writes by position equal `np.copyto(..., where=)`."""

from __future__ import annotations

import numpy as np
import pytest

from urbis.index.engine.masks import common_mask, fill_where


def batch(shared: bool, dtype=np.float32):
    rng = np.random.default_rng(3)
    x = rng.random((4, 3, 7)).astype(dtype)
    mask = np.broadcast_to(rng.random((3, 7)) < 0.3, x.shape).copy()
    if not shared:
        mask[2, 1, 4] = not mask[2, 1, 4]
    return x, mask


def test_common_mask_is_the_first_run_s_only_when_every_run_has_it():
    mask = batch(shared=True)[1]
    assert np.array_equal(common_mask(mask), mask[0])
    assert common_mask(batch(shared=False)[1]) is None
    assert common_mask(mask[0]) is None  # no runs in front


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fill_where_equals_copyto_for_a_number_and_one_value_per_row(shared, dtype):
    x, mask = batch(shared, dtype)
    per_row = np.arange(12, dtype=dtype).reshape(4, 3, 1) + dtype(0.5)
    for value in (0, np.inf, per_row, per_row[0]):
        expected = x.copy()
        np.copyto(expected, np.broadcast_to(value, x.shape), where=mask)
        got = x.copy()
        fill_where(got, value, mask)
        assert np.array_equal(got.view(np.uint8), expected.view(np.uint8))


def test_fill_where_on_a_view_falls_back_to_the_masked_copy():
    x, mask = batch(shared=True)
    wide = np.zeros((4, 3, 14), np.float32)
    view = wide[..., ::2]
    view[...] = x
    fill_where(view, 9, mask)
    assert np.array_equal(view, np.where(mask, np.float32(9), x))
    assert not wide[..., 1::2].any()

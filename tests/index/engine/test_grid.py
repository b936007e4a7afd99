"""Counting on a grid gives exactly the ranks and medians that sorting gives."""

from __future__ import annotations

import numpy as np
import pytest

from urbis.index.engine.config import AREAS, PILLARS, published_structure
from urbis.index.engine.grid import Grid, median, ranks
from urbis.index.engine.impute import _column_median, column_mean
from urbis.index.engine.normalise import rank
from urbis.index.engine.pipeline import counts_on_grid, evaluate, prepare

M = 6


def on_grid(codes: np.ndarray, dtype=np.float64) -> tuple[np.ndarray, Grid]:
    """x from whole-number codes 0…M (M + 1 = missing), as the Monte Carlo draws it."""
    values = np.arange(M + 1, dtype=dtype) * dtype(1 / M)
    x = np.where(codes > M, np.nan, codes.astype(dtype) * dtype(1 / M))
    return x, Grid(codes.astype(np.uint8), values)


def test_ranks_of_a_small_row_by_hand():
    # values 2/6, 0, 2/6, missing, 5/6: ranks 2.5, 1, 2.5, -, 4 (ties share the mean)
    _, grid = on_grid(np.array([[2, 0, 2, M + 1, 5]]))
    assert ranks(grid).tolist() == [[2.5, 1.0, 2.5, pytest.approx(np.nan, nan_ok=True), 4.0]]
    assert ranks(grid, ties="min").tolist()[0][:3] == [2.0, 1.0, 2.0]
    # the missing value filled with 2/6 joins the tie: 3 values at places 2-4
    fill = np.array([[2 / M]])
    assert ranks(grid, fill=fill).tolist() == [[3.0, 1.0, 3.0, 3.0, 5.0]]
    # less is better: the order reverses
    assert ranks(grid, polarity=np.array([-1])).tolist()[0][:3] == [2.5, 4.0, 2.5]
    assert median(grid).tolist() == [[pytest.approx(2 / M)]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ties", ["average", "min"])
@pytest.mark.parametrize("block", [1 << 20, 8 * 40 * 3])  # one block; blocks of 3 rows
def test_ranks_equal_the_sorted_ranks(dtype, ties, block, monkeypatch):
    monkeypatch.setattr("urbis.index.engine.grid.BLOCK_BYTES", block)
    rng = np.random.default_rng(3)
    codes = rng.integers(0, M + 1, (3, 4, 40))
    codes[rng.random(codes.shape) < 0.15] = M + 1
    codes[0, 1] = M + 1  # a row with nothing but missing values
    codes[1, 2, :] = 3  # a constant row
    x, grid = on_grid(codes, dtype)
    polarity = np.array([1, -1, 1, -1])
    assert np.array_equal(
        ranks(grid, polarity=polarity, ties=ties), rank(x, polarity, ties), equal_nan=True
    )
    mean_fill = column_mean(x)  # NaN for the row with nothing but missing values
    exact_fill = np.full((3, 4, 1), 4 / M, dtype)  # equal to a grid value
    for fill in (mean_fill, exact_fill):
        filled = np.where(np.isnan(x), fill, x)
        got = ranks(grid, fill=fill, polarity=polarity, ties=ties)
        assert np.array_equal(got, rank(filled, polarity, ties), equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_median_equals_the_sorted_median(dtype):
    rng = np.random.default_rng(4)
    codes = rng.integers(0, M + 1, (5, 3, 31))
    codes[rng.random(codes.shape) < 0.2] = M + 1
    codes[2, 0] = M + 1
    x, grid = on_grid(codes, dtype)
    assert np.array_equal(median(grid), _column_median(x), equal_nan=True)


@pytest.mark.parametrize("normalisation", ["rank", "percentile", "borda", "minmax"])
@pytest.mark.parametrize("imputation", ["none", "mean", "median"])
@pytest.mark.parametrize("aggregation", ["geometric", "harmonic", "arithmetic"])
def test_evaluate_gives_the_same_scores_with_or_without_the_grid(
    normalisation, imputation, aggregation
):
    """The geometric and harmonic means take their log or reciprocal on the rank tables:
    the same scores as value by value."""
    items = [(f"{p}.{a}.1", p, a, "") for p, _ in PILLARS for a, _ in AREAS]
    config = published_structure(items)
    rng = np.random.default_rng(5)
    codes = rng.integers(0, M + 1, (4, len(items), 25))
    codes[rng.random(codes.shape) < 0.05] = M + 1
    x, grid = on_grid(codes)
    point = x[0].T
    plan = prepare(config, point).with_methods(
        normalisation=normalisation, imputation=imputation, aggregation=aggregation
    )
    assert counts_on_grid(plan) == (normalisation != "minmax" or imputation == "median")
    plain = evaluate(plan, x)
    counted = evaluate(plan, x, grid=grid)
    for level in ("areas", "pillars", "index"):
        assert np.array_equal(plain[level], counted[level], equal_nan=True)

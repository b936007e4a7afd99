"""Weights and aggregation: hand-computed examples and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from urbis.index.engine.aggregate import aggregate, shift_positive
from urbis.index.engine.weights import equal, manual, node_weights, pca

NAN = np.nan


def test_equal_weights():
    assert equal(4).tolist() == [0.25] * 4


def test_manual_weights_rescaled():
    assert manual([3, 1]).tolist() == [0.75, 0.25]
    assert node_weights("manual", ["a", "b"], manual_weights={"a": 1, "b": 3}).tolist() == [
        0.25,
        0.75,
    ]


@pytest.mark.parametrize("bad", [[], [-1, 2], [0, 0]])
def test_manual_weights_refused(bad):
    with pytest.raises(ValueError):
        manual(bad)


def test_manual_weights_name_missing_children():
    with pytest.raises(ValueError, match="b"):
        node_weights("manual", ["a", "b"], manual_weights={"a": 1})


def test_pca_weights_hand_computed():
    # corr = [[1, 1, r], [1, 1, r], [r, r, 1]] with r = 0.6: first eigenvector (a, a, b),
    # λ = (3 + √(1 + 8r²)) / 2, b = 2ra / (λ - 1); weights a², a², b² normalised.
    x1 = [1.0, 2.0, 3.0, 4.0]
    x = np.array([x1, [2 * v for v in x1], [2.0, 1.0, 4.0, 3.0]])
    lam = (3 + np.sqrt(1 + 8 * 0.36)) / 2
    b = 1.2 / (lam - 1)
    expected = np.array([1, 1, b * b]) / (2 + b * b)
    np.testing.assert_allclose(pca(x), expected, rtol=1e-9)


def test_pca_weights_fall_back_to_equal_for_a_constant_child():
    assert pca(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])).tolist() == [0.5, 0.5]


def one_parent(*w):
    return np.array([[list(w)]])


def test_arithmetic_weighted():
    out = aggregate(np.array([[[4.0], [8.0]]]), one_parent(0.75, 0.25), "arithmetic")
    assert out.tolist() == [[[5.0]]]


def test_geometric_and_harmonic():
    x = np.array([[[1.0], [4.0]]])
    np.testing.assert_allclose(aggregate(x, one_parent(0.5, 0.5), "geometric"), [[[2.0]]])
    np.testing.assert_allclose(aggregate(x, one_parent(0.5, 0.5), "harmonic"), [[[1.6]]])


def test_missing_child_renormalises_weights():
    x = np.array([[[NAN], [8.0]]])
    assert aggregate(x, one_parent(0.75, 0.25), "arithmetic").tolist() == [[[8.0]]]


def test_all_children_missing_gives_missing():
    x = np.array([[[NAN], [NAN]]])
    assert np.isnan(aggregate(x, one_parent(0.5, 0.5), "arithmetic")[0, 0, 0])


def test_geometric_refuses_non_positive():
    with pytest.raises(ValueError, match="positive"):
        aggregate(np.array([[[0.0], [1.0]]]), one_parent(0.5, 0.5), "geometric")


def test_block_matrix_aggregates_several_parents():
    x = np.array([[[1.0, 2.0], [3.0, 4.0], [10.0, 20.0]]])  # 3 children, 2 cities
    w = np.array([[[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]])
    assert aggregate(x, w, "arithmetic").tolist() == [[[2.0, 3.0], [10.0, 20.0]]]


@pytest.mark.parametrize("method", ["arithmetic", "geometric", "harmonic", "generalised"])
def test_aggregating_in_place_gives_the_same_means(method):
    rng = np.random.default_rng(8)
    x = rng.uniform(1, 5, (3, 4, 6)).astype(np.float32)
    x[0, 1, 2] = x[2, 3, 0] = NAN
    w = rng.uniform(0.5, 1.5, (3, 2, 4)) * np.array([[1, 1, 0, 0], [0, 0, 1, 1]])
    kept = x.copy()
    plain = aggregate(x, w, method, p=0.5)
    assert np.array_equal(x, kept, equal_nan=True)  # the input is left alone by default
    scratch = x.copy()
    assert np.array_equal(aggregate(scratch, w, method, p=0.5, overwrite=True), plain)


def test_the_same_gaps_in_every_run_give_the_same_means():
    """The denominators use one run's mask when every run misses the same values."""
    rng = np.random.default_rng(9)
    x = rng.uniform(0, 1, (4, 3, 5))
    x[:, 1, 2] = NAN
    w = np.ones((4, 1, 3)) * rng.uniform(0.5, 1.5, (4, 1, 3))
    by_run = np.concatenate([aggregate(x[r : r + 1], w[r : r + 1], "arithmetic") for r in range(4)])
    assert np.array_equal(aggregate(x, w, "arithmetic"), by_run)
    x[2, 0, 0] = NAN  # different gaps in one run
    by_run = np.concatenate([aggregate(x[r : r + 1], w[r : r + 1], "arithmetic") for r in range(4)])
    assert np.array_equal(aggregate(x, w, "arithmetic"), by_run)


def test_shift_positive_in_place():
    x = np.array([[2.0, 3.0, NAN], [-1.0, 0.0, 1.0]])
    shifted = shift_positive(x.copy())
    assert shift_positive(x, overwrite=True) is x
    assert np.array_equal(x, shifted, equal_nan=True)
    assert x[1].tolist() == [1.0, 2.0, 3.0]
    # rows whose lowest value is already 0 (min-max, percentile) only add 1
    y = np.array([[0.0, 0.5, 1.0], [-0.0, 2.0, NAN]])
    assert np.array_equal(shift_positive(y), [[1.0, 1.5, 2.0], [1.0, 3.0, NAN]], equal_nan=True)


def test_shift_positive_translates_each_child_to_start_at_one():
    x = np.array([[0.0, 0.5, 1.0], [-2.0, 0.0, 3.0], [NAN, 4.0, 5.0]])
    assert shift_positive(x)[:2].tolist() == [[1.0, 1.5, 2.0], [1.0, 3.0, 6.0]]
    assert np.isnan(shift_positive(x)[2, 0]) and shift_positive(x)[2, 1:].tolist() == [1.0, 2.0]


@settings(deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 8), st.integers(1, 10)),
        elements=st.floats(-1e6, 1e6, allow_nan=False),
    )
)
def test_equal_weights_reproduce_the_plain_mean(x):
    k = x.shape[0]
    w = equal(k)[None, None, :]
    np.testing.assert_allclose(
        aggregate(x[None], w, "arithmetic")[0, 0], x.mean(axis=0), rtol=1e-9, atol=1e-6
    )


@pytest.mark.parametrize("method", ["harmonic", "geometric", "arithmetic"])
def test_a_missing_child_is_skipped_by_every_mean(method):
    # defect: the harmonic mean counted a missing child as 1/1 in the sum while leaving it
    # out of the weights, giving 0.909 instead of 10
    out = aggregate(np.array([[[10.0], [NAN]]]), one_parent(0.5, 0.5), method)
    np.testing.assert_allclose(out, [[[10.0]]], rtol=1e-12)


def test_harmonic_with_a_missing_child_among_three():
    x = np.array([[[2.0], [NAN], [4.0]]])
    out = aggregate(x, one_parent(0.25, 0.5, 0.25), "harmonic")
    np.testing.assert_allclose(out, [[[0.5 / (0.25 / 2 + 0.25 / 4)]]])

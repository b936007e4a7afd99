"""Normalisation: hand-computed examples and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from urbis.index.engine.normalise import normalise

NAN = np.nan


def row(*values, dtype=float):
    return np.array([values], dtype=dtype)


def test_minmax():
    assert normalise(row(1, 2, 3, 5), "minmax").tolist() == [[0.0, 0.25, 0.5, 1.0]]


def test_minmax_less_is_better():
    assert normalise(row(1, 2, 3), "minmax", polarity=[-1]).tolist() == [[1.0, 0.5, 0.0]]


def test_minmax_constant_indicator_is_one_half():
    assert normalise(row(4, 4), "minmax").tolist() == [[0.5, 0.5]]


def test_zscore():
    out = normalise(row(1, 2, 3), "zscore")
    np.testing.assert_allclose(out, [[-1.224744871, 0.0, 1.224744871]])


def test_rank_averages_ties():
    assert normalise(row(10, 30, 20, 20), "rank").tolist() == [[1.0, 4.0, 2.5, 2.5]]


def test_percentile_rank():
    assert normalise(row(10, 30, 20, 20), "percentile").tolist() == [[0.0, 1.0, 0.5, 0.5]]


def test_rank_skips_missing():
    out = normalise(row(3, NAN, 1), "rank")
    assert out[0, 0] == 2.0 and np.isnan(out[0, 1]) and out[0, 2] == 1.0
    pct = normalise(row(3, NAN, 1), "percentile")
    assert pct[0, 0] == 1.0 and np.isnan(pct[0, 1]) and pct[0, 2] == 0.0


def test_distance_to_the_leader():
    assert normalise(row(2, 4, 8), "distance").tolist() == [[0.25, 0.5, 1.0]]
    assert normalise(row(2, 4, 8), "distance", polarity=[-1]).tolist() == [[1.0, 0.5, 0.25]]
    assert normalise(row(2, 4, 8), "distance", reference=1).tolist() == [[0.5, 1.0, 2.0]]


def test_goalposts_clip():
    out = normalise(row(-0.5, 0.25, 1.5), "goalposts", low=[0.0], high=[1.0])
    assert out.tolist() == [[0.0, 0.25, 1.0]]
    out = normalise(row(-0.5, 0.25, 1.5), "goalposts", polarity=[-1], low=[0.0], high=[1.0])
    assert out.tolist() == [[1.0, 0.75, 0.0]]


def test_goalposts_must_be_ordered():
    with pytest.raises(ValueError, match="goalpost"):
        normalise(row(1, 2), "goalposts", low=[1.0], high=[1.0])


def test_unknown_method():
    with pytest.raises(ValueError, match="Unknown normalisation"):
        normalise(row(1, 2), "softmax")


def test_missing_stays_missing():
    for method in ("minmax", "zscore", "rank", "percentile", "distance", "goalposts"):
        assert np.isnan(normalise(row(0.2, NAN, 0.6), method)[0, 1])


def test_float32_batch_matches_float64():
    rng = np.random.default_rng(5)
    x = np.round(rng.random((3, 4, 50)) * 20) / 20  # many ties
    x[0, 1, 3] = NAN
    for method in ("rank", "percentile"):
        np.testing.assert_allclose(
            normalise(x.astype(np.float32), method), normalise(x, method), rtol=1e-6
        )


finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 4), st.integers(1, 30)), elements=finite))
def test_minmax_within_unit_interval(x):
    out = normalise(x, "minmax")
    assert np.all((out >= 0) & (out <= 1))


@settings(deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 3), st.integers(2, 30)), elements=finite))
def test_rank_matches_scipy(x):
    np.testing.assert_array_equal(normalise(x, "rank"), rankdata(x, axis=-1))


@settings(deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 3), st.integers(2, 30)),
        elements=st.integers(-1000, 1000).map(float),
    )
)
def test_rank_invariant_under_monotone_transform(x):
    transformed = x**3 + 5 * x  # strictly increasing, exact for these integers
    for method in ("rank", "percentile"):
        np.testing.assert_array_equal(normalise(x, method), normalise(transformed, method))


def test_float32_rank_handles_signs_zeros_and_gaps():
    x = np.array([[-1.0, 0.0, -0.0, NAN, 2.0, -3.0]], dtype=np.float32)
    out = normalise(x, "rank")
    assert out[0, [0, 1, 2, 4, 5]].tolist() == [2.0, 3.5, 3.5, 5.0, 1.0]
    assert np.isnan(out[0, 3])


@settings(deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 3), st.integers(2, 40)),
        elements=st.floats(-100, 100, width=32),
    )
)
def test_float32_rank_matches_scipy(x):
    np.testing.assert_array_equal(normalise(x, "rank"), rankdata(x, axis=-1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ties", ["average", "min"])
def test_batched_rank_equals_scipy_rankdata_row_by_row(dtype, ties):
    # Many ties, missing values and a negative zero, in a batch of (runs, indicators,
    # cities): every row ranked at once equals SciPy's ranking of that row alone.
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(0, 2, (3, 7, 50))).astype(dtype)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[..., 0] = -0.0
    got = normalise(x, "rank", ties=ties)
    for run in range(3):
        for row in range(7):
            values = x[run, row].astype(float)
            expected = np.full(50, np.nan)
            valid = ~np.isnan(values)
            expected[valid] = rankdata(values[valid], method=ties)
            assert np.array_equal(got[run, row], expected.astype(dtype), equal_nan=True)

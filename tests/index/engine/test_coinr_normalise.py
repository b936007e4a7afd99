"""COINr's normalisation value tests (tests/testthat/test-normalise.R), one per expectation.

Each test names the R test and gives the R expectation's value. COINr draws its data with
`runif`; a fixed vector stands in (the expectations hold for any data). Not expressible
here: the expectations comparing a coin with a data frame (`norm_coin`, `dist2targ_coin`)
and those reading per-indicator parameters from the ASEM metadata (`iMeta_norm_paras`).
"""

import numpy as np
import pytest

from urbis.index.engine.normalise import (
    borda,
    distance,
    goalposts,
    minmax,
    normalise,
    reference,
    scaled,
    target,
    zscore,
)

ONE_TO_TEN = np.arange(1.0, 11.0)[None, :]
UNIFORM = np.array([[0.62, 0.05, 0.91, 0.33, 0.47, 0.18, 0.76, 0.29, 0.84, 0.11]])
UNIFORM2 = np.array([[0.14, 0.72, 0.39, 0.95, 0.06, 0.58, 0.27, 0.81, 0.43, 0.66]])


# norm_num
def test_norm_num_minmax_lower_is_2():
    assert minmax(ONE_TO_TEN, lower=2, upper=7).min() == 2


def test_norm_num_minmax_upper_is_7():
    assert minmax(ONE_TO_TEN, lower=2, upper=7).max() == 7


def test_norm_num_zscore_mean_is_5():
    xn = zscore(ONE_TO_TEN, mean=5, sd=2, ddof=1)
    assert xn.mean() == pytest.approx(5)


def test_norm_num_zscore_sd_is_2():
    xn = zscore(ONE_TO_TEN, mean=5, sd=2, ddof=1)
    assert xn.std(ddof=1) == pytest.approx(2)


def test_norm_num_dist2targ_min_is_0():
    assert target(ONE_TO_TEN, targets=[8], cap=True).min() == 0


def test_norm_num_dist2targ_max_is_1():
    assert target(ONE_TO_TEN, targets=[8], cap=True).max() == 1


def test_norm_num_dist2targ_at_or_beyond_target_is_1():
    xn = target(ONE_TO_TEN, targets=[8], cap=True)
    assert xn[ONE_TO_TEN >= 8].tolist() == [1.0, 1.0, 1.0]


# norm_df: COINr's default is min-max onto [0, 100]
def test_norm_df_default_min_is_0():
    assert minmax(np.vstack([UNIFORM, UNIFORM2]), lower=0, upper=100).min(axis=1).tolist() == [
        0,
        0,
    ]


def test_norm_df_default_max_is_100():
    assert minmax(np.vstack([UNIFORM, UNIFORM2]), lower=0, upper=100).max(axis=1).tolist() == [
        100,
        100,
    ]


def test_norm_df_individual_minmax_min_is_1():
    assert minmax(UNIFORM, lower=1, upper=10).min() == 1


def test_norm_df_individual_minmax_max_is_10():
    assert minmax(UNIFORM, lower=1, upper=10).max() == 10


def test_norm_df_individual_borda_is_0_to_9():
    assert sorted(borda(UNIFORM2)[0].tolist()) == list(range(10))


def test_norm_df_directions_reversed_min_gets_100():
    xn = minmax(UNIFORM, polarity=[-1], lower=0, upper=100)
    assert xn[0, UNIFORM.argmin()] == 100


def test_norm_df_directions_reversed_max_gets_0():
    xn = minmax(UNIFORM, polarity=[-1], lower=0, upper=100)
    assert xn[0, UNIFORM.argmax()] == 0


def test_norm_df_directions_forward_min_gets_0():
    xn = minmax(UNIFORM2, polarity=[1], lower=0, upper=100)
    assert xn[0, UNIFORM2.argmin()] == 0


def test_norm_df_directions_forward_max_gets_100():
    xn = minmax(UNIFORM2, polarity=[1], lower=0, upper=100)
    assert xn[0, UNIFORM2.argmax()] == 100


# n_funcs
def test_n_funcs_scaled_keeps_the_length():
    assert scaled(UNIFORM, low=[1], high=[10]).shape == UNIFORM.shape


def test_n_funcs_scaled_is_x_minus_l_over_u_minus_l_times_100():
    np.testing.assert_allclose(scaled(UNIFORM, low=[1], high=[10]), (UNIFORM - 1) / 9 * 100)


def test_n_funcs_dist2max_is_one_minus_distance_over_range():
    x = UNIFORM
    expected = 1 - (x.max() - x) / (x.max() - x.min())
    np.testing.assert_allclose(normalise(x, "minmax"), expected)


def test_n_funcs_dist2ref():
    x = UNIFORM
    expected = 1 - (x[0, 0] - x) / (x[0, 0] - x.min())
    np.testing.assert_allclose(reference(x, city=0), expected)


def test_n_funcs_dist2ref_capped():
    x = UNIFORM
    expected = np.minimum(1 - (x[0, 0] - x) / (x[0, 0] - x.min()), 1)
    np.testing.assert_allclose(reference(x, city=0, cap=True), expected)


def test_n_funcs_fracmax_is_x_over_max():
    np.testing.assert_allclose(distance(UNIFORM), UNIFORM / UNIFORM.max())


def test_n_funcs_goalposts_truncated_and_scaled():
    expected = np.clip((UNIFORM - 0.2) / 0.6, 0, 1) * 10
    np.testing.assert_allclose(goalposts(UNIFORM, low=[0.2], high=[0.8], scale=10), expected)


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [(1, 1, 0.1), (11, 1, 1), (-1, 1, 0), (1, -1, 0.9), (-1, -1, 1), (11, -1, 0)],
)
def test_n_funcs_goalposts_cases(value, direction, expected):
    out = goalposts(np.array([[float(value)]]), polarity=[direction], low=[0], high=[10])
    assert out[0, 0] == pytest.approx(expected)


# dist2targ
def test_dist2targ_uncapped():
    x = np.array([[0.0, 5.0, 11.0]])
    np.testing.assert_allclose(target(x, targets=[10], cap=False), [[0, 0.5, 1.1]])


def test_dist2targ_capped():
    x = np.array([[0.0, 5.0, 11.0]])
    np.testing.assert_allclose(target(x, targets=[10], cap=True), [[0, 0.5, 1]])


def test_dist2targ_reversed_uncapped():
    x = np.array([[-1.0, 1.0, 10.0]])
    out = target(x, polarity=[-1], targets=[0], cap=False)
    np.testing.assert_allclose(out, [[1.1, 0.9, 0]])


def test_dist2targ_reversed_capped():
    x = np.array([[-1.0, 1.0, 10.0]])
    out = target(x, polarity=[-1], targets=[0], cap=True)
    np.testing.assert_allclose(out, [[1, 0.9, 0]])


# the conventions urbis offers besides its own (docs/index.md)
def test_min_ties_rank_as_r_does():
    # R: rank(c(1, 2, 2, 3), ties.method = "min") is 1 2 2 4; urbis' default averages
    x = np.array([[1.0, 2.0, 2.0, 3.0]])
    assert normalise(x, "rank", ties="min").tolist() == [[1, 2, 2, 4]]
    assert normalise(x, "rank").tolist() == [[1, 2.5, 2.5, 4]]


def test_zscore_population_by_default_sample_on_request():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert zscore(x)[0, 0] == pytest.approx(-1.5 / np.sqrt(1.25))
    assert zscore(x, ddof=1)[0, 0] == pytest.approx(-1.5 / np.sqrt(5 / 3))

"""COINr's imputation and outlier-treatment value tests (tests/testthat/test-Impute.R and
test-treat.R), one per expectation.

Not expressible here: user-supplied R imputation functions, panel imputation across a
purse, warnings, and the tests that only compare COINr's coin, data-frame and numeric
methods with each other (`treat_df`, `treat_coin`, `disable_treat`).
"""

import numpy as np
import pytest

from urbis.index.engine.impute import impute
from urbis.index.engine.outliers import needs_treatment, treat, winsorise

NAN = np.nan


# Impute.numeric: x = 1:10, x[3] = NA, median imputation
def one_to_ten_with_a_gap():
    x = np.arange(1.0, 11.0)[None, :]
    x[0, 2] = NAN
    return x


def test_impute_numeric_median_fills_the_gap():
    assert impute(one_to_ten_with_a_gap(), "median")[0, 2] == 6.0  # median(c(1:2, 4:10))


def test_impute_numeric_keeps_the_length():
    assert impute(one_to_ten_with_a_gap(), "median").shape == (1, 10)


def test_impute_numeric_leaves_the_others():
    x = one_to_ten_with_a_gap()
    out = impute(x, "median")
    assert np.delete(out, 2).tolist() == np.delete(x, 2).tolist()


# Impute.data.frame: 10 x 5 runif with two gaps in columns 1, 3 and 5, as (indicators, cities)
FRAME = np.random.default_rng(50).uniform(size=(5, 10))
FRAME[0, [1, 6]] = NAN
FRAME[2, [0, 9]] = NAN
FRAME[4, [3, 4]] = NAN


def test_impute_data_frame_column_mean():
    expected = FRAME.copy()
    for i in (0, 2, 4):
        expected[i, np.isnan(FRAME[i])] = np.nanmean(FRAME[i])
    np.testing.assert_allclose(impute(FRAME, "mean"), expected)


def test_impute_data_frame_row_median_without_normalising():
    expected = FRAME.copy()
    for city in range(10):
        gaps = np.isnan(FRAME[:, city])
        expected[gaps, city] = np.nanmedian(FRAME[:, city])
    out = impute(FRAME, "row_median", siblings=np.zeros(5, int), normalise_first=False)
    np.testing.assert_allclose(out, expected)


# impute.coin: row-wise mean within a group, normalising first and scaling back
def test_impute_coin_row_mean_normalised_first_and_scaled_back():
    x = np.array(
        [
            [3.0, 7.0, 1.0, 9.0],  # the indicator with the gap (city 0 is missing)
            [10.0, 20.0, 40.0, 30.0],
            [0.5, 0.1, 0.9, 0.3],
            [5.0, 6.0, 7.0, 8.0],  # another group's indicator, not used
        ]
    )
    x[0, 0] = NAN
    siblings = np.array([0, 0, 0, 1])
    out = impute(x, "row_mean", siblings=siblings)
    scaled = [(10 - 10) / 30, (0.5 - 0.1) / 0.8]
    lo, hi = 1.0, 9.0
    assert out[0, 0] == pytest.approx(np.mean(scaled) * (hi - lo) + lo)
    assert np.delete(out, 0).tolist() == np.delete(x, 0).tolist()


# group_mean and group_median: x = runif(20), groups a/b, gaps at 1, 5 and 10
GX = np.random.default_rng(21).uniform(size=20)
GX[[0, 4, 9]] = NAN
GROUPS = np.array(list("abbaabababbbaabaabab"), dtype=object)


@pytest.mark.parametrize("city", [0, 4, 9])
def test_group_mean_fills_from_the_group(city):
    expected = np.nanmean(GX[np.equal(GROUPS, GROUPS[city])])
    assert impute(GX[None, :], "group_mean", GROUPS)[0, city] == pytest.approx(expected)


def test_group_mean_with_missing_groups_uses_the_rest():
    groups = GROUPS.copy()
    groups[[1, 4]] = None
    kept = np.ones(20, bool)
    kept[[1, 4]] = False
    expected = np.nanmean(GX[kept & (groups == groups[0])])
    assert impute(GX[None, :], "group_mean", groups)[0, 0] == pytest.approx(expected)


def test_group_mean_without_a_group_stays_missing():
    groups = GROUPS.copy()
    groups[[1, 4]] = None
    assert np.isnan(impute(GX[None, :], "group_mean", groups)[0, 4])


@pytest.mark.parametrize("city", [0, 4, 9])
def test_group_median_fills_from_the_group(city):
    expected = np.nanmedian(GX[np.equal(GROUPS, GROUPS[city])])
    assert impute(GX[None, :], "group_median", GROUPS)[0, city] == pytest.approx(expected)


def test_group_median_with_missing_groups_uses_the_rest():
    groups = GROUPS.copy()
    groups[[1, 4]] = None
    kept = np.ones(20, bool)
    kept[[1, 4]] = False
    expected = np.nanmedian(GX[kept & (groups == groups[0])])
    assert impute(GX[None, :], "group_median", groups)[0, 0] == pytest.approx(expected)


def test_group_median_without_a_group_stays_missing():
    groups = GROUPS.copy()
    groups[[1, 4]] = None
    assert np.isnan(impute(GX[None, :], "group_median", groups)[0, 4])


# treat_num (COINr's check_SkewKurt: bias-corrected moments, |skew| < 2 or kurt < 3.5)
ONE_OUTLIER = np.array([*range(1, 11), 100.0])
TWO_OUTLIERS = np.array([*range(1, 21), 100.0, 200.0])


def test_treat_num_one_outlier_fails_the_check():
    assert needs_treatment(ONE_OUTLIER, bias_corrected=True)


def test_treat_num_the_outlier_is_winsorised_to_10():
    out, _ = treat(ONE_OUTLIER, max_points=5, bias_corrected=True)
    assert out[10] == 10


def test_treat_num_the_other_points_are_unchanged():
    out, _ = treat(ONE_OUTLIER, max_points=5, bias_corrected=True)
    assert out[:10].tolist() == ONE_OUTLIER[:10].tolist()


def test_treat_num_winsorised_passes():
    out, _ = treat(ONE_OUTLIER, max_points=5, bias_corrected=True)
    assert not needs_treatment(out, bias_corrected=True)


def test_treat_num_one_point_is_not_enough_for_two_outliers():
    out, n = winsorise(TWO_OUTLIERS, max_points=1, bias_corrected=True)
    assert n == 1 and needs_treatment(out, bias_corrected=True)


def test_treat_num_then_logged():
    out, t = treat(TWO_OUTLIERS, max_points=1, bias_corrected=True, transform="log")
    assert t.action == "log_plain"
    np.testing.assert_allclose(out, np.log(TWO_OUTLIERS))


def test_treat_num_forced_winsorisation_caps_3_points():
    out, n = winsorise(TWO_OUTLIERS, max_points=3, bias_corrected=True, force=True)
    assert n == 3
    assert np.count_nonzero(out != TWO_OUTLIERS) == 3


# bias-corrected moments are e1071's type 2 (COINr's skew() and kurt())
def test_bias_corrected_moments_are_the_sample_formulas():
    from urbis.index.engine.outliers import moments

    x = ONE_OUTLIER
    n = x.size
    d = x - x.mean()
    g1 = np.sqrt(n) * (d**3).sum() / (d**2).sum() ** 1.5
    r = n * (d**4).sum() / (d**2).sum() ** 2
    skew, kurt = moments(x, bias_corrected=True)
    assert skew == pytest.approx(g1 * np.sqrt(n * (n - 1)) / (n - 2))
    assert kurt == pytest.approx(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def test_box_cox_with_lambda_half_keeps_the_range():
    x = np.array([1.0] * 60 + [100.0, 101, 102, 103, 104, 105])
    out, t = treat(x, transform="boxcox", boxcox_lambda=0.5)
    assert (t.action, t.lam) == ("boxcox", 0.5)
    bc = (np.sqrt(x - 1 + 1) - 1) / 0.5
    np.testing.assert_allclose(out, 1 + 104 * bc / bc.max())

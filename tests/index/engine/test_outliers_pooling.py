"""Outlier treatment and wave pooling."""

import numpy as np

from urbis.index.engine.outliers import apply_treatment, treat
from urbis.index.engine.pooling import describe_weights, pool

NAN = np.nan


def test_well_behaved_indicator_untouched():
    x = np.arange(1.0, 11.0)
    out, t = treat(x)
    assert t.action == "none" and out.tolist() == x.tolist()


def test_one_outlier_is_winsorised_to_the_next_value():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0])
    out, t = treat(x)
    assert (t.action, t.points, t.high, t.low) == ("winsorised", 1, 9.0, None)
    assert out.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert apply_treatment(np.array([50.0, 3.0]), t).tolist() == [9.0, 3.0]


def test_negative_skew_winsorises_the_low_end():
    out, t = treat(-np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0]))
    assert (t.action, t.points, t.low) == ("winsorised", 1, -9.0)
    assert out.min() == -9.0


def test_too_many_outliers_fall_back_to_log():
    x = np.array([1.0] * 30 + [10, 100, 1000, 1e4, 1e5, 1e6, 1e7])
    out, t = treat(x)
    assert (t.action, t.points, t.low) == ("log", 0, 1.0)
    np.testing.assert_allclose(out, np.log1p(x - 1))


def test_pool_three_waves_3_2_1():
    p = pool(np.array([[0.6], [0.5], [0.2]]))
    np.testing.assert_allclose(p.values, [0.5])  # (3·0.6 + 2·0.5 + 0.2) / 6
    np.testing.assert_allclose(p.weights[:, 0], [0.5, 1 / 3, 1 / 6])


def test_missing_wave_renormalises():
    p = pool(np.array([[0.6], [NAN], [0.2]]))
    np.testing.assert_allclose(p.values, [0.5])  # (3·0.6 + 0.2) / 4
    assert p.weights[:, 0].tolist() == [0.75, 0.0, 0.25]
    assert p.waves_used.tolist() == [2]
    text = describe_weights(p.weights[:, 0], [2023, 2022, 2021])
    assert text == "2023: 75%, 2021: 25% (2022 missing, weights renormalised)"


def test_no_wave_gives_missing():
    p = pool(np.array([[NAN], [NAN], [NAN]]))
    assert np.isnan(p.values[0]) and p.waves_used.tolist() == [0]


def test_only_the_last_three_waves_count():
    p = pool(np.array([[0.6], [0.6], [0.6], [0.0]]))
    assert p.values.tolist() == [0.6]

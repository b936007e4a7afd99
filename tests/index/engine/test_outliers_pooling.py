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
    # six distinct high values above sixty ones: five caps are not enough
    x = np.array([1.0] * 60 + [100.0, 101, 102, 103, 104, 105])
    out, t = treat(x)
    assert (t.action, t.points, t.low, t.high) == ("log", 0, 1.0, 105.0)
    logged = np.log1p(x - 1)
    np.testing.assert_allclose(out, 1 + 104 * logged / logged.max())  # back onto [1, 105]
    out, t = treat(x, keep_range=False)
    np.testing.assert_allclose(out, logged)


def test_two_outliers_are_both_capped():
    # defect: the first cap made the two largest values tie, later steps changed nothing
    # and the indicator fell through to the log; COINr caps both 100 and 200 at 20
    x = np.array([*range(1, 21), 100.0, 200.0])
    out, t = treat(x)
    assert (t.action, t.points, t.high) == ("winsorised", 2, 20.0)
    assert out.tolist() == [*range(1, 21), 20.0, 20.0]


def test_a_log_treated_negative_skew_survives_goalposts_and_distance():
    # defect: the mirrored log gave values <= 0, goalposts on [0, 1] returned 0 everywhere
    from urbis.index.engine.normalise import distance, goalposts

    x = np.array([0.9] * 60 + [0.1, 0.11, 0.12, 0.13, 0.14, 0.15])
    out, t = treat(x)
    assert (t.action, t.mirrored, t.low, t.high) == ("log", True, 0.1, 0.9)
    assert out.min() == 0.1 and out.max() == 0.9
    g = goalposts(out[None, :])[0]
    d = distance(out[None, :])[0]
    assert g[0] == 0.9 and g[60] == 0.1
    np.testing.assert_allclose(d[[0, 60]], [1.0, 0.1 / 0.9])
    assert np.all(np.diff(g[60:]) > 0)  # order kept among the treated values


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

"""Imputation: hand-computed examples."""

import numpy as np
import pytest

from urbis.index.engine.impute import impute

NAN = np.nan


def test_none_leaves_gaps():
    x = np.array([[1.0, NAN, 3.0]])
    assert np.isnan(impute(x, "none")[0, 1])


def test_mean():
    assert impute(np.array([[1.0, NAN, 5.0, 6.0]]), "mean").tolist() == [[1.0, 4.0, 5.0, 6.0]]


def test_median_even_and_odd():
    assert impute(np.array([[1.0, NAN, 5.0, 6.0]]), "median").tolist() == [[1, 5, 5, 6]]
    assert impute(np.array([[1.0, NAN, 2.0, 6.0, 10.0]]), "median").tolist() == [[1, 4, 2, 6, 10]]


def test_group_mean_falls_back_to_overall_mean():
    x = np.array([[1.0, 3.0, NAN, 10.0, NAN]])
    groups = np.array([1, 1, 1, 2, 3])
    # group 1 mean = 2; group 3 has no value → overall mean (1 + 3 + 10) / 3
    out = impute(x, "group_mean", groups)
    np.testing.assert_allclose(out, [[1.0, 3.0, 2.0, 10.0, 14 / 3]])


def test_group_mean_needs_groups():
    with pytest.raises(ValueError, match="group"):
        impute(np.array([[1.0, NAN]]), "group_mean")


def test_batch_of_runs_imputes_each_run():
    x = np.array([[[1.0, NAN, 3.0]], [[5.0, NAN, 9.0]]])
    assert impute(x, "mean")[:, 0, 1].tolist() == [2.0, 7.0]

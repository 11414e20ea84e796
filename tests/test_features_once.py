"""Predicting computes the sentence's own features once for the unit read in its report
and read alone: the probabilities are those of two full passes."""
import numpy as np
from sklearn.pipeline import Pipeline

from fazhi.learning.decode import forward_backward
from fazhi.learning.records import records_by_report
from fazhi.learning.store import load_model


def test_one_pass_gives_the_probabilities_of_two(seed_reports):
    model, _ = load_model()
    units = [u for r in seed_reports.values() for u in r.units]
    X, _ = records_by_report(units)
    proba = Pipeline.predict_proba(model, X)  # the unit in its report
    alone = Pipeline.predict_proba(model, [r.blind() for r in X])  # the sentence alone
    clear = alone.max(axis=1) >= model.sentence_first
    assert clear.any() and (~clear).any()
    proba[clear] = alone[clear]
    expected = forward_backward(proba, X, model.transitions_, model.start_, model.prior_, power=model.power)
    assert np.allclose(model.predict_proba(X), expected, atol=1e-12)
    assert not np.allclose(Pipeline.predict_proba(model, X), alone)  # the blind pass differs: the check can fail

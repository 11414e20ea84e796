"""Baselines every score is read against: the majority label and a keyword rule."""
import re

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from fazhi.vocab import LABELS


class KeywordRule(BaseEstimator, ClassifierMixin):
    """In this order: result figures → metric, 不足/有待 → problem, 将/下一步 → plan, else achievement.

    Probabilities are one-hot: the rule is always sure of itself.
    """

    PROBLEM = re.compile(r"不足|有待")
    PLAN = re.compile(r"将|下一步")

    def fit(self, X, y=None):
        self.classes_ = np.asarray(LABELS)
        return self

    def predict_one(self, record) -> str:
        text = record.text
        if record.figures:
            return "metric"
        if self.PROBLEM.search(text):
            return "problem"
        if self.PLAN.search(text):
            return "plan"
        return "achievement"

    def predict(self, X):
        return np.asarray([self.predict_one(r) for r in X])

    def predict_proba(self, X):
        pred = self.predict(X)
        return (pred[:, None] == self.classes_[None, :]).astype(float)


class Majority(BaseEstimator, ClassifierMixin):
    """Always the most frequent training label, with the training label shares as probabilities."""

    def fit(self, X, y):
        y = np.asarray(y)
        self.classes_ = np.asarray(sorted(set(y)))
        self.prior_ = np.asarray([np.mean(y == c) for c in self.classes_])
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[int(np.argmax(self.prior_))])

    def predict_proba(self, X):
        return np.tile(self.prior_, (len(X), 1))

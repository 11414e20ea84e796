"""Every hyper-parameter of the model, in one place.

``DEFAULTS`` builds the shipped model; ``GRID`` is what the search tries inside
the training folds (nested), never on a test fold.
"""

DEFAULTS = {
    "char_ngram": (1, 3),  # character n-grams of the unit
    "word_ngram": (1, 2),  # jieba word n-grams of the unit
    "use_section": True,  # the section heading as context: character n-grams
    "section_weight": 1.0,
    "use_cues": True,  # future, shortfall and past words of the sentence, alone and with a figure
    "use_figures": True,  # has a result figure / several
    "use_kind": True,  # the report's kind from its title (plan, rectification, news)
    # built and measured on shapes-test, contrast and the seeds (bench/ablation.py):
    # they did not help there, so they are off
    "use_neighbours": False,  # the units before and after
    "neighbour_weight": 0.5,
    "use_position": False,  # relative position in the report
    "use_year": False,  # years ahead of the report's own year read as future
    "context_dropout": 0.7,  # share of training rows fitted without their context
    "decode": True,  # block decoding over each report's units
    "decode_power": 1.0,
    "sentence_first": 0.8,  # a unit whose sentence read alone reaches this probability takes the sentence's (1.0: never)
    "C": 8.0,  # inverse regularization of the logistic regression
    "calibration": "sigmoid",
    "calibration_cv": 3,
}
GRID = {"clf__estimator__C": [2.0, 8.0]}
# the labeler's refit in the loop (fazhi label --retrain-every): two calibration folds
# instead of three, a third less time; its guesses only order the units still to label
REFIT = {"calibration_cv": 2}

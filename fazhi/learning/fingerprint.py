"""What a model's inputs mean, as digests: a fixed probe report run through every step
before the fitted estimators (segmenting, records, masking, words, dense facts).

``meaning()`` changes exactly when reading, segmenting or featurizing would give an old
model different inputs; then ``fazhi.learning.store.FORMAT_VERSION`` must go up (a
test holds the two together). ``probe(model)`` is the model's probabilities on the
same report: a card records it, so a model that no longer matches its code shows.
"""
import hashlib
import json

import numpy as np

PROBE_REPORT = """青禾县2023年法治政府建设情况报告
2023年，县政府深入推进法治政府建设，现将有关情况报告如下。
一、主要举措和成效
（一）规范行政执法。全年办理行政复议案件126件，纠错率达8.5%，发放执法证件41本。
将法治建设纳入绩效考核。一是完善执法程序；二是开展案卷评查。
二、存在的问题
执法人员只有84人，力量不足。部分干部法治意识有待提高。
三、2024年工作打算
下一步，将进一步加强执法队伍建设。力争复议纠错率降至5%以下。
深入推进“放管服”改革
青禾县人民政府
2024年1月20日
"""


def _units():
    from fazhi.units.report import segment_report

    return segment_report(PROBE_REPORT, doc_id="probe").units


def _records():
    from fazhi.learning.records import report_records

    return report_records(_units())


def meaning() -> str:
    """One digest of the probe report's units, its records, and what every part of the
    default pipeline's features makes of them before fitting: the tokens each vectorizer
    would count, and the values of every dense part."""
    from dataclasses import asdict

    from fazhi.learning.pipeline import build_pipeline

    units = [(u.text, u.norm, u.section, u.kind, u.is_heading, u.figure_spans) for u in _units()]
    records = _records()
    parts = {}
    for name, part in build_pipeline(use_neighbours=True, use_position=True, use_year=True).named_steps["features"].transformer_list:
        if hasattr(part, "steps"):  # a field, then a vectorizer: the tokens it would count
            texts = part.steps[0][1].transform(records)
            parts[name] = [part.steps[-1][1].build_analyzer()(t) for t in texts]
        else:
            parts[name] = np.asarray(part.transform(records).toarray()).round(6).tolist()
    blob = json.dumps([units, [asdict(r) for r in records], parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def probe(model) -> list[list[float]]:
    """The model's probabilities on the probe report's content units, rounded."""
    return [[round(float(p), 6) for p in row] for row in model.predict_proba(_records())]

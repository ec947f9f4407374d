"""Scoring: indicator frameworks as data, and the engine that turns a department's data into its 评分表.

- ``framework``: the framework model, its loader and validator, and the shipped frameworks (``frameworks/*.yaml``);
- ``rules``: every rule input an auto rule may score, and how each rule kind scores;
- ``scorecard``: :func:`score`: leaves by rule or evaluator, parents as sums, total and grade;
- ``comparison``: this year's scores against last year's, indicator by indicator.
"""

from __future__ import annotations

from auditkit._lazy import exports

__all__ = ["Framework", "Scorecard", "auto_score", "format_scorecard", "load_framework", "score"]

__getattr__, __dir__ = exports(__name__, {
    "Framework": "auditkit.scoring.framework:Framework",
    "load_framework": "auditkit.scoring.framework:load_framework",
    "Scorecard": "auditkit.scoring.scorecard:Scorecard",
    "score": "auditkit.scoring.scorecard:score",
    "format_scorecard": "auditkit.scoring.scorecard:format_scorecard",
    "auto_score": "auditkit.scoring.rules:auto_score",
})

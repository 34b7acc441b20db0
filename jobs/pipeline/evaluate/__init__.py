"""Held-out evaluation: metrics (metrics.py), greedy generation and its speed (generate.py), one
model's evaluation (evaluate.py) and base-vs-tuned reports with release gates (report.py).
torch and transformers are imported only when a model is loaded."""

from jobs.pipeline.evaluate.evaluate import SUITES, ExampleResult, ModelEvaluation, evaluate_model
from jobs.pipeline.evaluate.report import Report, compare

__all__ = ["SUITES", "ExampleResult", "ModelEvaluation", "Report", "compare", "evaluate_model"]

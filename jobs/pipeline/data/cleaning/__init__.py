"""Dataset cleaning (SPEC 3, seed 2.2.2 and 4.1): plain Python, no Django.

Each step takes and yields a stream of `(row index, row)` pairs and fills a
`StepReport`; `clean_file` runs them over a canonical JSONL file.
"""

from .dedup import DedupConfig, Deduplicator
from .knowledge import Fact, KnowledgeBase, KnowledgeChecker, KnowledgeConfig
from .normalize import NormalizeConfig, Normalizer, normalize_text
from .pii import PII_KINDS, PiiConfig, PiiMasker, PiiPolicy, mask_text
from .pipeline import STEP_ORDER, CleaningConfig, CleaningError, clean_file, clean_rows
from .report import CleaningReport, StepReport
from .toxicity import ToxicityConfig, ToxicityFilter

__all__ = [
    "PII_KINDS",
    "STEP_ORDER",
    "CleaningConfig",
    "CleaningError",
    "CleaningReport",
    "DedupConfig",
    "Deduplicator",
    "Fact",
    "KnowledgeBase",
    "KnowledgeChecker",
    "KnowledgeConfig",
    "NormalizeConfig",
    "Normalizer",
    "PiiConfig",
    "PiiMasker",
    "PiiPolicy",
    "StepReport",
    "ToxicityConfig",
    "ToxicityFilter",
    "clean_file",
    "clean_rows",
    "mask_text",
    "normalize_text",
]

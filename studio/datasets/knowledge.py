"""The knowledge bases and thesauri the industry templates ship (catalog/<template>/knowledge.yaml)."""

from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "catalog"


def knowledge_base_names() -> list[str]:
    return sorted(p.parent.name for p in CATALOG.glob("*/knowledge.yaml"))


@lru_cache(maxsize=8)
def _load(name: str) -> dict:
    if name not in knowledge_base_names():
        raise ValueError(f"Unknown knowledge base {name!r}; known: {', '.join(knowledge_base_names())}.")
    return yaml.safe_load((CATALOG / name / "knowledge.yaml").read_text(encoding="utf-8")) or {}


def knowledge_base(name: str | None):
    """The template's term list and facts for the cleaning pipeline, or None without a name."""
    from jobs.pipeline.data.cleaning.knowledge import KnowledgeBase

    return KnowledgeBase.from_dict(_load(name)) if name else None


def thesaurus(name: str | None) -> list[list[str]]:
    return [list(group) for group in _load(name).get("thesaurus", [])] if name else []

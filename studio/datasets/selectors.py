import json
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from jobs.pipeline.data.rows import row_texts
from jobs.pipeline.data.versions import ROWS
from studio.core.scoping import team_queryset
from studio.datasets.models import Dataset, DatasetJob, DatasetVersion

PREVIEW_PAGE_SIZE = 20


def dataset_list(request: HttpRequest) -> QuerySet[Dataset]:
    return team_queryset(request, Dataset).annotate(version_count=Count("versions"))


def dataset_jobs_recent(request: HttpRequest, limit: int = 10) -> QuerySet[DatasetJob]:
    return team_queryset(request, DatasetJob).select_related("result_version__dataset")[:limit]


def approved_versions(request: HttpRequest) -> QuerySet[DatasetVersion]:
    """The versions a run may train on."""
    return team_queryset(request, DatasetVersion).filter(approved_at__isnull=False).select_related("dataset")


@dataclass(frozen=True)
class PreviewPage:
    rows: list[tuple[int, dict]]  # (1-based row number, row)
    page: int
    has_next: bool
    matches: int | None  # rows matching the search, counted over the whole version


def version_preview(version: DatasetVersion, *, page: int = 1, query: str = "") -> PreviewPage:
    """One page of a version's rows, streamed from its file; `query` searches all texts (case-insensitive)."""
    page = max(1, page)
    start, stop = (page - 1) * PREVIEW_PAGE_SIZE, page * PREVIEW_PAGE_SIZE
    needle = query.casefold()
    rows, seen = [], 0
    with open(Path(version.path) / ROWS, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            row = json.loads(line)
            if needle and not any(needle in text.casefold() for text in row_texts(row)):
                continue
            if start <= seen < stop:
                rows.append((number, row))
            seen += 1
            if not needle and seen > stop:
                break
    return PreviewPage(rows=rows, page=page, has_next=seen > stop, matches=seen if needle else None)

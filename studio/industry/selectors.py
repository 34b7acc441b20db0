from django.db.models import OuterRef, QuerySet, Subquery

from studio.industry.models import IndustryTemplate


def templates_latest() -> QuerySet[IndustryTemplate]:
    """The newest version of each template (templates are site-wide, like base models)."""
    newest = IndustryTemplate.objects.filter(name=OuterRef("name")).order_by("-version").values("version")[:1]
    return IndustryTemplate.objects.filter(version=Subquery(newest)).order_by("name")


def template_latest(name: str) -> IndustryTemplate | None:
    return IndustryTemplate.objects.filter(name=name).order_by("-version").first()

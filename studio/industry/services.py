from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from studio.audit.services import audit_record
from studio.industry.models import IndustryTemplate
from studio.industry.spec import TemplateSpec

CATALOG = Path(settings.BASE_DIR) / "catalog"


def template_save_version(*, spec: dict, user=None) -> IndustryTemplate:
    """Validate `spec` and store it as the template's next version (unless it equals the latest)."""
    validated = TemplateSpec.model_validate(spec).model_dump(mode="json")
    with transaction.atomic():
        latest = IndustryTemplate.objects.select_for_update().filter(name=validated["name"]).order_by("-version")
        current = latest.first()
        if current and current.spec == validated:
            return current
        version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
        template = IndustryTemplate.objects.create(
            name=validated["name"], version=version, spec=validated, created_by=user
        )
        audit_record(
            actor=user, team=None, action="template.version_saved", target=template, details={"version": version}
        )
    return template


def templates_sync_from_catalog() -> None:
    """Load catalog/<name>/template.yaml as the first version of each shipped template.

    Only a template the database does not know yet is loaded: once it exists, admins own it
    and their edits are not overwritten by the file.
    """
    for path in sorted(CATALOG.glob("*/template.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not IndustryTemplate.objects.filter(name=spec.get("name")).exists():
            template_save_version(spec=spec)

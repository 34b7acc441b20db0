from pathlib import Path

import pytest
import yaml

from jobs.pipeline.config import RunConfig
from studio.industry.models import IndustryTemplate
from studio.industry.selectors import template_latest, templates_latest
from studio.industry.services import template_save_version
from studio.industry.spec import TemplateSpec
from studio.runs.services import run_config_validate

CATALOG = Path(__file__).resolve().parents[3] / "catalog"
NAMES = sorted(p.parent.name for p in CATALOG.glob("*/template.yaml"))


def test_it_ships_the_three_templates():
    assert NAMES == ["finance", "general", "medical"]


@pytest.mark.parametrize("name", NAMES)
def test_it_loads_and_validates_each_template(db, name):
    spec = TemplateSpec.model_validate(yaml.safe_load((CATALOG / name / "template.yaml").read_text()))
    assert (CATALOG / name / spec.demo_dataset).exists() and (CATALOG / name / spec.knowledge_base).exists()
    assert template_latest(name).spec == spec.model_dump(mode="json")


@pytest.mark.parametrize("name", NAMES)
def test_its_defaults_make_a_valid_run_for_the_embedded_model(team, base_model, chat_version, name):
    spec = template_latest(name).spec
    data = {
        "name": f"{name} defaults",
        "template": name,
        "base_model": base_model.name,
        "stages": [{"kind": kind, "dataset_version": chat_version.pk} for kind in spec["stages"]],
        "lora": spec["lora"],
        "hyperparameters": spec["hyperparameters"],
    }
    config = run_config_validate(data, team=team)
    assert isinstance(config, RunConfig) and config.lora.target_modules == ["q_proj", "v_proj"]


def test_it_keeps_every_version_and_skips_unchanged_saves(db):
    spec = dict(template_latest("general").spec)
    assert template_save_version(spec=spec).version == 1
    edited = template_save_version(spec=spec | {"title": "General (edited)"})
    assert edited.version == 2
    assert IndustryTemplate.objects.filter(name="general").count() == 2
    assert [t.version for t in templates_latest() if t.name == "general"] == [2]


def test_it_refuses_a_broken_template_naming_the_setting(db):
    spec = dict(template_latest("general").spec) | {"cleaning": {"dedup": {"treshold": 0.5}}}
    with pytest.raises(ValueError, match=r"dedup: unknown settings \['treshold'\]"):
        template_save_version(spec=spec)

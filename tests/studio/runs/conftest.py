import pytest

from tests.factories import make_ready_base_model, make_version


@pytest.fixture
def base_model(db):
    return make_ready_base_model()


@pytest.fixture
def chat_version(team):
    return make_version(team, approved=True)


@pytest.fixture
def recipe(chat_version, base_model):
    """A valid recipe as plain data (what YAML and the form produce)."""
    return {
        "name": "Finance LoRA",
        "template": "finance",
        "base_model": base_model.name,
        "stages": [{"kind": "sft", "dataset_version": chat_version.pk}],
        "lora": {"r": 8, "alpha": 16, "dropout": 0.05, "target_modules": ["q_proj", "v_proj"]},
        "hyperparameters": {"learning_rate": 0.0002, "max_steps": 20},
    }


def form_post(config: dict) -> dict:
    """What a browser posts for the new-run form filled with `config` (lists for multi-value fields)."""
    from studio.runs.views import _form_data

    return dict(_form_data(config).lists())

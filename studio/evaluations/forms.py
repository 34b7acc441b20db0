from django import forms

from studio.datasets.models import DatasetVersion


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version: DatasetVersion) -> str:
        return f"{version} ({version.eval_count} held-out rows)"


class EvaluationForm(forms.Form):
    """Evaluate a ready base model alone on one of the team's approved dataset versions."""

    base_model = forms.ModelChoiceField(queryset=None, empty_label=None)
    dataset_version = VersionChoiceField(queryset=None, empty_label=None, label="Dataset version")
    template = forms.ModelChoiceField(
        queryset=None, empty_label=None, help_text="Its evaluation suite: which metrics are computed."
    )
    max_examples = forms.IntegerField(
        required=False, min_value=1, label="Examples at most", help_text="Empty: the studio's EVAL_MAX_EXAMPLES."
    )
    max_new_tokens = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2048,
        label="New tokens per answer",
        help_text="Empty: EVAL_MAX_NEW_TOKENS.",
    )

    def __init__(self, *args, base_models, versions, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_model"].queryset = base_models
        self.fields["dataset_version"].queryset = versions
        self.fields["template"].queryset = templates
        general = templates.filter(name="general").first()
        if general:
            self.fields["template"].initial = general.pk

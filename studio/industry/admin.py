import yaml
from django import forms
from django.contrib import admin
from pydantic import ValidationError

from jobs.pipeline.config import config_errors
from studio.industry.models import IndustryTemplate
from studio.industry.services import template_save_version


class TemplateYamlForm(forms.ModelForm):
    """Admins edit a template as YAML; saving makes a new version, never changes an old one."""

    spec_yaml = forms.CharField(widget=forms.Textarea(attrs={"rows": 40, "cols": 100}), label="Template (YAML)")

    class Meta:
        model = IndustryTemplate
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["spec_yaml"].initial = yaml.safe_dump(self.instance.spec, allow_unicode=True, sort_keys=False)

    def clean_spec_yaml(self):
        from studio.industry.spec import TemplateSpec

        try:
            data = yaml.safe_load(self.cleaned_data["spec_yaml"])
        except yaml.YAMLError as exc:
            raise forms.ValidationError(f"Not valid YAML: {exc}") from None
        try:
            TemplateSpec.model_validate(data)
        except ValidationError as exc:
            raise forms.ValidationError([f"{k}: {v}" for k, v in config_errors(exc).items()]) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(IndustryTemplate)
class IndustryTemplateAdmin(admin.ModelAdmin):
    form = TemplateYamlForm
    list_display = ["name", "version", "title", "created_by", "created_at"]
    list_filter = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # Runs refer to template versions.

    def save_model(self, request, obj, form, change):
        saved = template_save_version(spec=form.cleaned_data["spec_yaml"], user=request.user)
        obj.pk, obj.version, obj.name = saved.pk, saved.version, saved.name

    def save_related(self, request, form, formsets, change):
        pass

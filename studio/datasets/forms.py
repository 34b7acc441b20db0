from django import forms
from django.conf import settings

from jobs.pipeline.data.cleaning.pii import PII_KINDS, PiiPolicy
from jobs.pipeline.data.formats import FORMATS
from studio.basemodels.models import BaseModel
from studio.datasets.knowledge import knowledge_base_names

NAME_HELP = "Letters, digits, spaces, dots, dashes and underscores; a new name makes a new dataset."


class UploadForm(forms.Form):
    name = forms.RegexField(
        regex=r"^[\w .\-]{1,100}$",
        max_length=100,
        help_text=NAME_HELP,
        error_messages={"invalid": "Use letters, digits, spaces, dots, dashes or underscores (at most 100)."},
    )
    file = forms.FileField(help_text="JSONL, CSV, TXT or Parquet, UTF-8.")
    format = forms.ChoiceField(choices=[("auto", "Detect")] + [(f, f.title()) for f in FORMATS], initial="auto")
    tokenizer_model = forms.ModelChoiceField(
        queryset=BaseModel.objects.filter(status=BaseModel.Status.READY),
        required=False,
        empty_label="first ready base model",
        help_text="Its tokenizer counts tokens per row.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > settings.DATASET_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.DATASET_MAX_UPLOAD_BYTES:,}."
            )
        return upload


def knowledge_base_choices():
    return [("", "none")] + [(name, name.title()) for name in knowledge_base_names()]


PII_KIND_CHOICES = [
    (kind, kind.replace("_", " ").upper() if len(kind) <= 3 else kind.replace("_", " ")) for kind in PII_KINDS
]


class CleaningForm(forms.Form):
    """The steps of SPEC.md §3, each optional, with the settings people change most."""

    normalize = forms.BooleanField(
        required=False, initial=True, label="Normalize (mojibake, NFKC, HTML, control chars)"
    )
    min_chars = forms.IntegerField(min_value=0, initial=1, label="Minimum characters per row")
    max_chars = forms.IntegerField(min_value=1, initial=20000, label="Maximum characters per row")
    pii = forms.BooleanField(required=False, initial=True, label="Mask PII")
    pii_kinds = forms.MultipleChoiceField(
        choices=PII_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="PII kinds",
        help_text="Empty: the template's policy (finance: accounts and IDs; medical: all HIPAA-like kinds).",
    )
    toxicity = forms.BooleanField(required=False, initial=True, label="Drop toxic rows (word list, EN + ZH)")
    dedup = forms.BooleanField(required=False, initial=True, label="Remove exact and near duplicates")
    dedup_threshold = forms.FloatField(
        min_value=0.1, max_value=1.0, initial=0.8, label="Near-duplicate Jaccard threshold"
    )
    shingle_size = forms.IntegerField(min_value=1, max_value=20, initial=5, label="Shingle size (characters)")
    knowledge = forms.BooleanField(required=False, initial=True, label="Check terms and facts (flag for review)")
    knowledge_base = forms.ChoiceField(
        choices=knowledge_base_choices,
        required=False,
        label="Template",
        help_text="Its knowledge base is checked against, and its PII policy applies.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("min_chars") is not None and cleaned.get("max_chars") is not None:
            if cleaned["min_chars"] >= cleaned["max_chars"]:
                self.add_error("max_chars", "The maximum must be above the minimum.")
        if cleaned.get("knowledge") and not cleaned.get("knowledge_base"):
            self.add_error("knowledge_base", "Choose the knowledge base to check against, or untick the check.")
        if not any(cleaned.get(step) for step in ("normalize", "pii", "toxicity", "dedup", "knowledge")):
            raise forms.ValidationError("Choose at least one cleaning step.")
        return cleaned

    def job_config(self) -> dict:
        c = self.cleaned_data
        return {
            "knowledge_base": c["knowledge_base"] or None,
            "cleaning": {
                "normalize": {"enabled": c["normalize"], "min_chars": c["min_chars"], "max_chars": c["max_chars"]},
                "pii": {"enabled": c["pii"], "kinds": self._pii_kinds()},
                "toxicity": {"enabled": c["toxicity"]},
                "dedup": {"enabled": c["dedup"], "threshold": c["dedup_threshold"], "shingle_size": c["shingle_size"]},
                "knowledge": {"enabled": c["knowledge"]},
            },
        }

    def _pii_kinds(self) -> list[str]:
        if self.cleaned_data["pii_kinds"]:
            return list(self.cleaned_data["pii_kinds"])
        if template := self.cleaned_data["knowledge_base"]:
            return sorted(PiiPolicy.for_template(template).kinds)
        return list(PII_KINDS)


class AugmentForm(forms.Form):
    synonym_swap_ratio = forms.FloatField(min_value=0, max_value=0.5, initial=0.1)
    random_deletion_ratio = forms.FloatField(min_value=0, max_value=0.3, initial=0.05)
    random_swap_ratio = forms.FloatField(min_value=0, max_value=0.3, initial=0.05)
    copies_per_row = forms.IntegerField(min_value=1, max_value=5, initial=1)
    seed = forms.IntegerField(min_value=0, initial=0)
    knowledge_base = forms.ChoiceField(choices=knowledge_base_choices, required=False, label="Thesaurus from")
    back_translate = forms.BooleanField(
        required=False,
        label="Back-translate through the local MarianMT models",
        help_text="Needs MARIAN_FORWARD_DIR and MARIAN_REVERSE_DIR (see the README).",
    )

    def clean_back_translate(self):
        wanted = self.cleaned_data["back_translate"]
        if wanted and not (settings.MARIAN_FORWARD_DIR and settings.MARIAN_REVERSE_DIR):
            raise forms.ValidationError("No MarianMT models are configured on this studio.")
        return wanted

    def job_config(self) -> dict:
        c = dict(self.cleaned_data)
        knowledge_base = c.pop("knowledge_base") or None
        if c.pop("back_translate"):
            c |= {
                "back_translation_model_dir": settings.MARIAN_FORWARD_DIR,
                "back_translation_reverse_dir": settings.MARIAN_REVERSE_DIR,
            }
        return {"knowledge_base": knowledge_base, "augmentation": c}

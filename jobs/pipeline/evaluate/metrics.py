"""Text metrics for held-out evaluation, correct for Chinese as well as English.

Every score is on a 0–1 scale (BLEU included, sacrebleu's 0–100 divided by 100) so the seed
article's targets (BLEU/ROUGE > 0.85) read directly. A metric that does not apply to an example
(numeric EM on a reference without a number) returns None and is left out of the mean.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence

# CJK ideographs (basic, extension A, compatibility), kana and hangul: one token per character,
# the usual convention for ROUGE/BLEU on Chinese (there are no spaces to split on).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_TOKEN_RE = re.compile(rf"[{_CJK}]|\d+(?:[.,]\d+)*|[^\W_{_CJK}]+")


def has_cjk(text: str) -> bool:
    """Whether the text contains a CJK character."""
    return bool(_CJK_RE.search(text))


def tokenize(text: str) -> list[str]:
    """Tokens for ROUGE: each CJK character alone; lower-cased words; numbers whole ("1,234.5").

    Punctuation is dropped. NFKC first, so full-width letters and digits match their ASCII forms.
    """
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).lower())


def _lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag = 0
        for j, y in enumerate(b, 1):
            prev_row_j = row[j]
            row[j] = prev_diag + 1 if x == y else max(row[j], row[j - 1])
            prev_diag = prev_row_j
    return row[-1]


def rouge_l(pred: str, ref: str) -> float:
    """ROUGE-L F1 (longest common subsequence over `tokenize` tokens).

    Two empty texts score 1.0 (identical); one empty text scores 0.0.
    """
    p, r = tokenize(pred), tokenize(ref)
    if not p or not r:
        return float(not p and not r)
    lcs = _lcs_length(p, r)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(p), lcs / len(r)
    return 2 * precision * recall / (precision + recall)


def bleu_tokenizer(refs: Sequence[str]) -> str:
    """sacrebleu tokenizer for a set of references: "zh" if any contains CJK, else "13a".

    "zh" splits CJK into characters and tokenizes the rest like "13a", so mixed corpora are fine.
    """
    return "zh" if any(has_cjk(r) for r in refs) else "13a"


def corpus_bleu(preds: Sequence[str], refs: Sequence[str]) -> float:
    """Corpus BLEU (sacrebleu, one reference each), 0–1.

    Corpus-level is the headline figure: n-gram counts are pooled, so it is not dominated by
    short answers the way an average of sentence BLEU is.
    """
    import sacrebleu

    if not preds:
        return 0.0
    score = sacrebleu.corpus_bleu(list(preds), [list(refs)], tokenize=bleu_tokenizer(refs)).score
    return min(score / 100, 1.0)  # sacrebleu's float arithmetic can land a hair above 100


def sentence_bleu(pred: str, ref: str) -> float:
    """Smoothed sentence BLEU (sacrebleu's default "exp" smoothing), 0–1: the per-example view."""
    import sacrebleu

    return min(sacrebleu.sentence_bleu(pred, [ref], tokenize=bleu_tokenizer([ref])).score / 100, 1.0)


def normalize_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def exact_match(pred: str, ref: str) -> float:
    """1.0 if the texts are equal after `normalize_text`, else 0.0."""
    return float(normalize_text(pred) == normalize_text(ref))


# The last "Answer:" / "答案：" line holds the final answer (full-width colon included).
_ANSWER_RE = re.compile(r"(?:\banswer|答案)\s*[:：]", re.IGNORECASE)
# A sign counts only where it cannot be a range dash ("0-2.5%" is 0 and 2.5); a currency symbol
# may sit between sign and digits ("-$5"); 万/亿 scale the number.
_NUMBER_RE = re.compile(
    r"(?:(?<![0-9A-Za-z.])(?P<sign>[-−])\s*)?[$€£¥￥₹]?\s*"
    r"(?P<num>(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<scale>\s*[万亿])?"
)
_SCALE = {"万": 1e4, "亿": 1e8}


def extract_numbers(text: str) -> list[float]:
    """Every number in the text: thousands separators removed, signs kept, 万/亿 applied.

    Percent signs and currency symbols or codes are ignored: "161.98%" is 161.98, "$1,200" 1200.
    """
    out = []
    for m in _NUMBER_RE.finditer(unicodedata.normalize("NFKC", text)):
        value = float(m["num"].replace(",", ""))
        if m["scale"]:
            value *= _SCALE[m["scale"].strip()]
        out.append(-value if m["sign"] else value)
    return out


def final_answer_numbers(text: str) -> list[float]:
    """The number(s) of the final answer.

    With an "Answer:"/"答案：" marker: the numbers on the line after the last marker (none there
    means no numeric answer). Without one: the last number in the text.
    """
    markers = list(_ANSWER_RE.finditer(text))
    if markers:
        return extract_numbers(text[markers[-1].end() :].split("\n", 1)[0])
    numbers = extract_numbers(text)
    return numbers[-1:]


def numeric_exact_match(pred: str, ref: str, rel_tol: float = 1e-2, abs_tol: float = 0.01) -> float | None:
    """1.0 if the prediction's final-answer numbers equal the reference's within tolerance.

    Numbers are compared in order and their counts must agree. None when the reference has no
    numeric answer (the metric does not apply to it).
    """
    want = final_answer_numbers(ref)
    if not want:
        return None
    got = final_answer_numbers(pred)
    if len(got) != len(want):
        return 0.0
    return float(all(math.isclose(g, w, rel_tol=rel_tol, abs_tol=abs_tol) for g, w in zip(got, want, strict=True)))


_FENCE_RE = re.compile(r"^```[\w-]*\s*\n?(.*?)\n?```$", re.DOTALL)


def parse_json(text: str):
    """The JSON value in `text`, also when wrapped in one markdown code fence; raises ValueError."""
    text = text.strip()
    fenced = _FENCE_RE.match(text)
    return json.loads(fenced.group(1) if fenced else text)


def json_validity(pred: str, *, require_object: bool = True) -> float:
    """1.0 if the prediction parses as JSON (an object, unless `require_object` is False)."""
    try:
        value = parse_json(pred)
    except ValueError:
        return 0.0
    return float(isinstance(value, dict) or not require_object)


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def json_field_coverage(pred: str, required_fields: Sequence[str]) -> float:
    """Fraction of `required_fields` present in the predicted JSON object with a non-empty value.

    Unparsable or non-object output scores 0.0; no required fields scores 1.0.
    """
    if not required_fields:
        return 1.0
    try:
        value = parse_json(pred)
    except ValueError:
        return 0.0
    if not isinstance(value, dict):
        return 0.0
    return sum(_filled(value.get(f)) for f in required_fields) / len(required_fields)


def perplexity(nll_sum: float, n_tokens: int) -> float:
    """exp(mean token negative log-likelihood, in nats); inf when there are no tokens."""
    if n_tokens <= 0:
        return math.inf
    return math.exp(nll_sum / n_tokens)

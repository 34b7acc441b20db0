"""Training-data augmentation (seed 2.2.1): text perturbation and back-translation.

Two methods, each adding marked copies of training rows:

- perturbation (EDA-style): synonym swap from the template thesaurus, random
  deletion and random adjacent swap of words (English) or of characters and
  thesaurus terms inside CJK runs (Chinese has no spaces between words);
- back-translation: source -> pivot -> source through two local MarianMT
  model directories, greedy and batched; skipped (and said so in the report)
  when no directories are configured.

`augment_file` streams canonical JSONL: each original row is written
unchanged, followed by its augmented copies, which carry `"_augmented": true`
and `"_source_row"` (the 0-based position of the original among the input
rows) so that the studio keeps them out of eval splits. Placeholders left by
PII masking (`[EMAIL]`) are never perturbed, and a back-translation that
loses one is discarded. Nothing here imports Django; torch and transformers
are imported only when back-translation is configured.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .rows import PREFERENCE_FIELDS, map_texts, row_texts

__all__ = [
    "CHAT_ROLES",
    "METHODS",
    "AugmentConfig",
    "AugmentError",
    "AugmentReport",
    "BackTranslator",
    "Perturber",
    "augment_file",
]

CHAT_ROLES = ("system", "user", "assistant")
METHODS = ("synonym_swap", "random_deletion", "random_swap", "back_translation")
MAX_EXAMPLES = 5
PREVIEW_CHARS = 200
_ATTEMPTS_PER_COPY = 3  # a perturbed copy that came out unchanged is redrawn this many times at most

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Typed placeholders written by PII masking: [EMAIL], [CN_ID], ...
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
# A word char that is not CJK: English (and other spaced scripts) words are runs of these.
_WORD_CHAR = rf"(?:(?![{_CJK}])[^\W_])"
# Sentence boundaries for back-translation (MarianMT models are sentence-level).
_SENTENCE_BREAK = re.compile(r"((?<=[.!?])\s+|(?<=[。！？])\s*|\s*\n\s*)")


class AugmentError(ValueError):
    """Augmentation cannot run: bad input rows, or a model directory that is missing or unusable."""


def _check_range(name: str, value, low, high, kind: type) -> None:
    ok_type = (int, float) if kind is float else (int,)
    if isinstance(value, bool) or not isinstance(value, ok_type):
        raise ValueError(f"{name} must be a {'number' if kind is float else 'whole number'}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")


@dataclass
class AugmentConfig:
    """What augmentation does.

    Ratios are fractions of a text's words (CJK characters and thesaurus terms
    count as words) changed by each perturbation; 0 turns that perturbation
    off. `copies_per_row` perturbed copies are added per row, plus one
    back-translated copy when both model directories are set
    (`back_translation_model_dir` translates source -> pivot,
    `back_translation_reverse_dir` pivot -> source). Lists are accepted where
    tuples are expected, so the config can come from JSON.
    """

    synonym_swap_ratio: float = 0.1
    random_deletion_ratio: float = 0.05
    random_swap_ratio: float = 0.05
    copies_per_row: int = 1
    seed: int = 0
    back_translation_model_dir: str | None = None
    back_translation_reverse_dir: str | None = None
    max_new_tokens: int = 128
    batch_size: int = 8
    # Only the inputs are augmented by default: perturbing or machine-translating
    # assistant answers (or the chosen/rejected replies of a preference pair)
    # would teach the model to answer with typos, dropped words and translation
    # noise. Text rows (raw pretraining text) have only their text.
    roles: tuple[str, ...] = ("user",)
    preference_fields: tuple[str, ...] = ("prompt",)

    def __post_init__(self) -> None:
        _check_range("synonym_swap_ratio", self.synonym_swap_ratio, 0, 0.5, float)
        _check_range("random_deletion_ratio", self.random_deletion_ratio, 0, 0.3, float)
        _check_range("random_swap_ratio", self.random_swap_ratio, 0, 0.3, float)
        _check_range("copies_per_row", self.copies_per_row, 1, 5, int)
        _check_range("max_new_tokens", self.max_new_tokens, 1, 1024, int)
        _check_range("batch_size", self.batch_size, 1, 256, int)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be a whole number, got {self.seed!r}")
        for name in ("back_translation_model_dir", "back_translation_reverse_dir"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                value = os.fspath(value)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be a directory path or empty, got {value!r}")
            setattr(self, name, (value.strip() or None) if isinstance(value, str) else None)
        if (self.back_translation_model_dir is None) != (self.back_translation_reverse_dir is None):
            raise ValueError(
                "back-translation needs both back_translation_model_dir (source -> pivot) and "
                "back_translation_reverse_dir (pivot -> source), or neither"
            )
        self.roles = self._names("roles", self.roles, CHAT_ROLES)
        self.preference_fields = self._names("preference_fields", self.preference_fields, PREFERENCE_FIELDS)

    @staticmethod
    def _names(name: str, value, allowed: Sequence[str]) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError(f"{name} must be a list of names from {list(allowed)}, got {value!r}")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"{name}: unknown {unknown}; allowed are {list(allowed)}")
        return tuple(dict.fromkeys(value))

    @classmethod
    def from_dict(cls, data: Mapping) -> AugmentConfig:
        """From the dict `to_dict` gives (unknown keys are an error)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"augmentation config must be a dict, got {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown augmentation settings {unknown}; known are {sorted(names)}")
        return cls(**dict(data))

    def to_dict(self) -> dict:
        """Plain JSON-able settings."""
        data = asdict(self)
        data["roles"], data["preference_fields"] = list(self.roles), list(self.preference_fields)
        return data

    @property
    def back_translation(self) -> bool:
        """Whether both back-translation model directories are set."""
        return self.back_translation_model_dir is not None

    @property
    def perturbation(self) -> bool:
        """Whether any perturbation ratio is above zero."""
        return any((self.synonym_swap_ratio, self.random_deletion_ratio, self.random_swap_ratio))


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


@dataclass
class AugmentReport:
    """What augmentation did: rows in, rows added, edits per method, examples.

    `counts` are edits per method: words swapped for synonyms, words deleted,
    adjacent swaps made, texts back-translated. `rows_added_by_method` counts
    the copies written; `skipped` counts, by reason, the rows, perturbed
    copies and back-translated texts that were left out.
    """

    rows_in: int = 0
    rows_added: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    rows_added_by_method: dict[str, int] = field(default_factory=lambda: {"perturbation": 0, "back_translation": 0})
    skipped: dict[str, int] = field(default_factory=dict)
    examples: list[dict] = field(default_factory=list)
    perturbation: bool = True
    back_translation: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def example(self, source_row: int, method: str, before: str, after: str) -> None:
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(
                {"source_row": source_row, "method": method, "before": _preview(before), "after": _preview(after)}
            )

    def to_dict(self) -> dict:
        """Plain JSON-able report."""
        return {
            "rows_in": self.rows_in,
            "rows_added": self.rows_added,
            "rows_out": self.rows_in + self.rows_added,
            "counts": dict(self.counts),
            "rows_added_by_method": dict(self.rows_added_by_method),
            "skipped": dict(self.skipped),
            "examples": list(self.examples),
            "perturbation": self.perturbation,
            "back_translation": self.back_translation,
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }


# --- text perturbation -------------------------------------------------------------------------

# Token kinds: "ph" placeholder, "term" thesaurus term, "cjk" one CJK character, "num" a
# number, "word" a spaced-script word, "space" whitespace, "other" punctuation and symbols.
# Only term, cjk and word tokens ("content") are ever changed: numbers carry the facts the
# answer refers to, so they are kept like placeholders.
_CONTENT = frozenset(("term", "cjk", "word"))


def _is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


class Perturber:
    """EDA-style perturbation of one text: synonym swap, random deletion, adjacent swap.

    `thesaurus` is a list of synonym groups. English terms (single words or
    phrases) match case-insensitively on word boundaries; terms with CJK
    characters match as substrings. A term is only replaced by a synonym of
    the same script, keeping the original's capitalisation.
    """

    def __init__(self, thesaurus: Sequence[Sequence[str]] = ()):
        self.synonyms: dict[str, list[str]] = {}
        if isinstance(thesaurus, (str, bytes)) or not isinstance(thesaurus, Sequence):
            raise ValueError("thesaurus must be a list of synonym groups (lists of strings)")
        for number, group in enumerate(thesaurus):
            if isinstance(group, (str, bytes)) or not isinstance(group, Sequence):
                raise ValueError(f"thesaurus group {number} must be a list of strings, got {group!r}")
            if not all(isinstance(term, str) for term in group):
                raise ValueError(f"thesaurus group {number} must contain only strings, got {group!r}")
            terms = list(dict.fromkeys(" ".join(t.split()) for t in group if t.strip()))
            for term in terms:
                key = self._key(term)
                same_script = [t for t in terms if self._key(t) != key and _is_cjk(t) == _is_cjk(term)]
                known = self.synonyms.setdefault(key, [])
                known.extend(t for t in same_script if t not in known)
        # Every term is one token (a CJK term is deleted or swapped as a unit); only those with
        # a same-script synonym are swapped for one.
        self._token = self._tokenizer([t for group in thesaurus for t in group if t.strip()])
        self.synonyms = {k: v for k, v in self.synonyms.items() if v}

    @staticmethod
    def _key(term: str) -> str:
        return " ".join(term.split()).casefold()

    @staticmethod
    def _tokenizer(terms: list[str]) -> re.Pattern:
        alternatives = []
        # Longest first, so that "interest rate" wins over "interest" and 信用卡 over 信用.
        for term in sorted({" ".join(t.split()) for t in terms}, key=len, reverse=True):
            if _is_cjk(term):
                alternatives.append(re.escape(term))
            else:
                phrase = r"\s+".join(re.escape(w) for w in term.split(" "))
                alternatives.append(rf"(?i:{phrase})(?!{_WORD_CHAR})")
        term = f"(?P<term>{'|'.join(alternatives)})|" if alternatives else ""
        return re.compile(
            rf"(?P<ph>{_PLACEHOLDER.pattern})|{term}(?P<cjk>[{_CJK}])"
            rf"|(?P<num>\d[\d.,:/%-]*(?<![.,:/-]))|(?P<word>{_WORD_CHAR}+(?:['’-]{_WORD_CHAR}+)*)"
            r"|(?P<space>\s+)|(?P<other>.)",
            re.S,
        )

    def tokens(self, text: str) -> list[list[str]]:
        """`text` as [kind, text] tokens; joining the texts gives `text` back."""
        return [[m.lastgroup, m.group()] for m in self._token.finditer(text)]

    def perturb(self, text: str, config: AugmentConfig, rng: random.Random, counts: Counter) -> str:
        """One perturbed version of `text`; `counts` gets the edits made, per method.

        Never empties a text (at least one word is kept) and never touches
        placeholders, punctuation or whitespace other than that around a
        deleted word. The number of edits per method is the ratio times the
        number of words, rounded at random (so short texts get one edit or
        none, and the expected count is exact).
        """
        tokens = self.tokens(text)
        n_words = sum(kind in _CONTENT for kind, _ in tokens)
        if n_words == 0:
            return text
        self._synonym_swap(tokens, _stochastic_round(config.synonym_swap_ratio * n_words, rng), rng, counts)
        n_delete = min(_stochastic_round(config.random_deletion_ratio * n_words, rng), n_words - 1)
        self._delete(tokens, n_delete, rng, counts)
        n_swap = _stochastic_round(config.random_swap_ratio * n_words, rng)
        self._swap(tokens, n_swap, rng, counts)
        return "".join(t for _, t in tokens)

    def _synonym_swap(self, tokens: list[list[str]], n: int, rng: random.Random, counts: Counter) -> None:
        candidates = [i for i, (kind, t) in enumerate(tokens) if kind == "term" and self._key(t) in self.synonyms]
        for i in rng.sample(candidates, min(n, len(candidates))):
            original = tokens[i][1]
            tokens[i][1] = _match_case(rng.choice(self.synonyms[self._key(original)]), original)
            counts["synonym_swap"] += 1

    @staticmethod
    def _delete(tokens: list[list[str]], n: int, rng: random.Random, counts: Counter) -> None:
        if n <= 0:
            return
        content = [i for i, (kind, _) in enumerate(tokens) if kind in _CONTENT]
        doomed = set(rng.sample(content, n))
        for i in sorted(doomed):
            kind, text = tokens[i]
            if kind != "cjk" and not _is_cjk(text):
                # Take one neighbouring space with a spaced-script word, so no double space is left.
                if i > 0 and tokens[i - 1][0] == "space" and tokens[i - 1][1]:
                    tokens[i - 1][1] = ""
                elif i + 1 < len(tokens) and tokens[i + 1][0] == "space":
                    tokens[i + 1][1] = ""
            tokens[i][1] = ""
            counts["random_deletion"] += 1
        tokens[:] = [t for t in tokens if t[1]]

    @staticmethod
    def _swap(tokens: list[list[str]], n: int, rng: random.Random, counts: Counter) -> None:
        if n <= 0:
            return
        # Adjacent pairs: two words of the same script with nothing but whitespace between them
        # (nothing at all for CJK characters); placeholders and punctuation break the run.
        pairs = []
        previous = None
        for i, (kind, text) in enumerate(tokens):
            if kind in _CONTENT:
                if previous is not None and _is_cjk(tokens[previous][1]) == _is_cjk(text):
                    between = tokens[previous + 1 : i]
                    if not between or (not _is_cjk(text) and all(k == "space" for k, _ in between)):
                        pairs.append((previous, i))
                previous = i
            elif kind != "space":
                previous = None
        for _ in range(min(n, len(pairs))):
            a, b = rng.choice(pairs)
            tokens[a][1], tokens[b][1] = tokens[b][1], tokens[a][1]
            counts["random_swap"] += 1


def _stochastic_round(x: float, rng: random.Random) -> int:
    whole = int(x)
    return whole + (rng.random() < x - whole)


def _match_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


# --- back-translation --------------------------------------------------------------------------


class BackTranslator:
    """Round-trip translation through two local MarianMT directories.

    Models and tokenizers are loaded with `local_files_only=True` (nothing is
    downloaded). Texts are split into sentences, translated in batches of
    `batch_size` with greedy decoding and at most `max_new_tokens` tokens a
    sentence, and joined back with their original separators.
    """

    def __init__(self, forward_dir: str, reverse_dir: str, *, max_new_tokens: int = 128, batch_size: int = 8):
        self.max_new_tokens, self.batch_size = max_new_tokens, batch_size
        # Both checked before either is loaded: a wrong second path fails at once.
        forward = self.check_dir("back_translation_model_dir", forward_dir)
        reverse = self.check_dir("back_translation_reverse_dir", reverse_dir)
        self.forward = self._load("back_translation_model_dir", forward)
        self.reverse = self._load("back_translation_reverse_dir", reverse)

    @staticmethod
    def check_dir(setting: str, path: str) -> Path:
        """`path` as a Path, or an AugmentError naming the setting and the directory."""
        directory = Path(path)
        if not directory.is_dir():
            raise AugmentError(f"{setting}: MarianMT model directory {str(directory)!r} does not exist")
        if not (directory / "config.json").is_file():
            raise AugmentError(f"{setting}: {str(directory)!r} is not a model directory (no config.json in it)")
        return directory

    @staticmethod
    def _load(setting: str, directory: Path):
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        try:
            with warnings.catch_warnings():
                # Moses punctuation normalisation is optional; without sacremoses it is skipped.
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                tokenizer = MarianTokenizer.from_pretrained(str(directory), local_files_only=True)
            model = MarianMTModel.from_pretrained(str(directory), local_files_only=True)
        except (OSError, ValueError, KeyError, AssertionError) as exc:
            raise AugmentError(f"{setting}: cannot load a MarianMT model from {str(directory)!r}: {exc}") from exc
        device = "cuda" if torch.cuda.is_available() else "cpu"
        return tokenizer, model.to(device).eval()

    def translate(self, texts: Sequence[str], direction: str = "forward") -> list[str]:
        """`texts` (sentences) translated by one of the two models, in order."""
        import torch

        tokenizer, model = self.forward if direction == "forward" else self.reverse
        max_length = min(tokenizer.model_max_length, model.config.max_position_embeddings)
        results = [""] * len(texts)
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            encoded = tokenizer(
                [texts[i] for i in batch], return_tensors="pt", padding=True, truncation=True, max_length=max_length
            )
            encoded = encoded.to(model.device)
            with torch.inference_mode():
                output = model.generate(**encoded, max_new_tokens=self.max_new_tokens, num_beams=1, do_sample=False)
            for i, decoded in zip(batch, tokenizer.batch_decode(output, skip_special_tokens=True), strict=True):
                results[i] = decoded.strip()
        return results

    def back_translate(self, texts: Sequence[str]) -> list[str]:
        """Each text translated to the pivot language and back, sentence by sentence."""
        parts = [_SENTENCE_BREAK.split(text) for text in texts]
        # Even positions are sentences, odd ones the separators between them.
        slots = [(t, p) for t, pieces in enumerate(parts) for p in range(0, len(pieces), 2) if pieces[p].strip()]
        sentences = [parts[t][p].strip() for t, p in slots]
        for (t, p), sentence in zip(slots, self.translate(self.translate(sentences), "reverse"), strict=True):
            parts[t][p] = sentence
        return ["".join(pieces).strip() for pieces in parts]


# --- files -------------------------------------------------------------------------------------


def _selected(row: dict, config: AugmentConfig) -> list[bool]:
    """Which of `row_texts(row)` get augmented."""
    if "messages" in row:
        return [m.get("role") in config.roles for m in row["messages"]]
    if "text" in row:
        return [True]
    return [name in config.preference_fields for name in PREFERENCE_FIELDS]


def _read_rows(path: Path) -> Iterator[tuple[int, dict, list[str]]]:
    index = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise AugmentError(f"line {number}: not valid JSON ({exc})") from None
            if not isinstance(row, dict):
                raise AugmentError(f"line {number}: expected a JSON object, got {type(row).__name__}")
            try:
                texts = row_texts(row)
            except (ValueError, KeyError, TypeError) as exc:
                raise AugmentError(f"line {number}: {exc}") from None
            if not all(isinstance(t, str) for t in texts):
                raise AugmentError(f"line {number}: every message content / text field must be a string")
            yield index, row, texts
            index += 1


class _Augmenter:
    def __init__(self, config: AugmentConfig, perturber: Perturber, translator: BackTranslator | None, report):
        self.config, self.perturber, self.translator, self.report = config, perturber, translator, report
        self.edits: Counter = Counter()

    def block(self, items: list[tuple[int, dict, list[str]]]) -> Iterator[dict]:
        """The output rows for a block of input rows: each original, then its copies."""
        translated: dict[int, dict[int, str]] = {}
        if self.translator is not None:
            wanted = [
                (index, k, text)
                for index, row, texts in items
                if not row.get("_augmented")
                for k, (text, chosen) in enumerate(zip(texts, _selected(row, self.config), strict=True))
                if chosen and text.strip()
            ]
            outputs = self.translator.back_translate([text for _, _, text in wanted]) if wanted else []
            for (index, k, _), out in zip(wanted, outputs, strict=True):
                translated.setdefault(index, {})[k] = out
        for index, row, texts in items:
            yield row
            if row.get("_augmented"):
                self.report.skip("input_row_already_augmented")
                continue  # copies of copies would compound the noise
            yield from self._copies(index, row, texts, translated.get(index, {}))

    def _copies(self, index: int, row: dict, texts: list[str], translated: dict[int, str]) -> Iterator[dict]:
        chosen = _selected(row, self.config)
        if not any(c and t.strip() for c, t in zip(chosen, texts, strict=True)):
            self.report.skip("nothing_to_augment")
            return
        seen = {tuple(texts)}
        if self.config.perturbation:
            for copy in range(self.config.copies_per_row):
                rng = random.Random(f"{self.config.seed}:{index}:{copy}")
                for _attempt in range(_ATTEMPTS_PER_COPY):
                    edits: Counter = Counter()
                    new = [
                        self.perturber.perturb(t, self.config, rng, edits) if c else t
                        for t, c in zip(texts, chosen, strict=True)
                    ]
                    if tuple(new) not in seen:
                        break
                else:
                    self.report.skip("perturbation_unchanged")
                    continue
                seen.add(tuple(new))
                self.edits.update(edits)
                yield self._copy(index, row, texts, new, "perturbation")
        if translated:
            new = list(texts)
            for k, out in translated.items():
                if not out.strip():
                    self.report.skip("back_translation_empty")
                elif Counter(_PLACEHOLDER.findall(out)) != Counter(_PLACEHOLDER.findall(texts[k])):
                    self.report.skip("back_translation_lost_placeholder")
                elif out == texts[k]:
                    self.report.skip("back_translation_unchanged")
                else:
                    new[k] = out
            if tuple(new) in seen:
                return  # every text was left as it was (counted above), or a perturbed copy says the same
            self.edits["back_translation"] += sum(a != b for a, b in zip(new, texts, strict=True))
            yield self._copy(index, row, texts, new, "back_translation")

    def _copy(self, index: int, row: dict, texts: list[str], new: list[str], method: str) -> dict:
        report = self.report
        report.rows_added += 1
        report.rows_added_by_method[method] += 1
        if len(report.examples) < MAX_EXAMPLES:
            k = next(k for k, (a, b) in enumerate(zip(texts, new, strict=True)) if a != b)
            report.example(index, method, texts[k], new[k])
        replacements = iter(new)
        copy = map_texts(row, lambda _text: next(replacements))
        return {**copy, "_augmented": True, "_source_row": index}


def augment_file(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    config: AugmentConfig | None = None,
    *,
    thesaurus: Sequence[Sequence[str]] = (),
    on_progress: Callable[[int], None] | None = None,
    progress_every: float = 0.5,
) -> AugmentReport:
    """Augment canonical JSONL at `input_path` into `output_path`.

    Writes each input row unchanged, followed by its augmented copies (marked
    `"_augmented": true`, `"_source_row": <0-based input row index>`). Rows
    that are already augmented are copied through without new copies.
    Streams in blocks of `config.batch_size` rows. Output goes to a temporary
    file beside `output_path`, moved onto it at the end: a failure leaves no
    output. `on_progress(rows_done)` is called at most every
    `progress_every` seconds, and once at the end. Raises AugmentError for
    bad input rows and for model directories that are missing or unusable
    (before anything is written).
    """
    config = config or AugmentConfig()
    input_path, output_path = Path(input_path), Path(output_path)
    started = time.monotonic()
    report = AugmentReport(perturbation=config.perturbation, back_translation=config.back_translation)
    perturber = Perturber(thesaurus)
    if config.perturbation and config.synonym_swap_ratio and not perturber.synonyms:
        report.notes.append("synonym swap: the thesaurus is empty, no synonyms to swap")
    translator = None
    if config.back_translation:
        translator = BackTranslator(
            config.back_translation_model_dir,
            config.back_translation_reverse_dir,
            max_new_tokens=config.max_new_tokens,
            batch_size=config.batch_size,
        )
    else:
        report.notes.append("back-translation skipped: no MarianMT model directories configured")
    if not config.perturbation:
        report.notes.append("perturbation skipped: all ratios are 0")
    augmenter = _Augmenter(config, perturber, translator, report)
    last = time.monotonic()

    tmp = output_path.with_name(f".{output_path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as out:
            dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
            block: list = []
            for item in _read_rows(input_path):
                block.append(item)
                if len(block) < config.batch_size:
                    continue
                for row in augmenter.block(block):
                    out.write(dumps(row) + "\n")
                report.rows_in += len(block)
                block = []
                if on_progress is not None and (now := time.monotonic()) - last >= progress_every:
                    last = now
                    on_progress(report.rows_in)
            for row in augmenter.block(block):
                out.write(dumps(row) + "\n")
            report.rows_in += len(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, output_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for method in METHODS:
        report.counts[method] = augmenter.edits.get(method, 0)
    report.seconds = time.monotonic() - started
    if on_progress is not None:
        on_progress(report.rows_in)
    return report

"""Shared helpers for the demo-dataset generator (catalog/build_demo.py).

Everything here is deterministic given the ``random.Random`` passed in:
no set iteration order, no hash-dependent ordering, no clock.

Contents
- ``Row``: one chat example plus bookkeeping (language, planted defects).
- PII makers with valid checksums (Luhn cards, ISO 13616 IBANs, GB 11643
  Chinese resident IDs, SSNs, phones, e-mails, MRNs, dates of birth).
- ``SimilarityPool``: rejects generated rows that are too similar to rows
  already accepted, so that the only near-duplicates are the planted ones.
- Defect planters: exact / near duplicates, PII, HTML, mojibake,
  misspelled terms.
"""

from __future__ import annotations

import json
import re

CJK_RE = re.compile(r"[\u3400-\u9fff]")
WS_RE = re.compile(r"\s+")

# Reference similarity measure (also used by the tests): Jaccard similarity of
# character 5-gram shingles over the lower-cased, whitespace-collapsed
# user + assistant text.  Works for Chinese and English alike.
SHINGLE_N = 5
# Generated (unplanted) rows never reach this similarity to each other ...
MAX_NATURAL_SIMILARITY = 0.60
# ... while every planted near-duplicate is at least this similar to its source.
MIN_NEAR_DUP_SIMILARITY = 0.85


# --------------------------------------------------------------------------
# Rows


class Row:
    """A chat example under construction."""

    def __init__(self, messages, lang, task):
        self.messages = messages  # list of {"role", "content"}
        self.lang = lang  # "en" | "zh"
        self.task = task  # generator family, for bookkeeping only
        self.plants = []  # list of dicts (without "line")
        self.source = None  # Row this one duplicates (planted dups only)

    # -- accessors -------------------------------------------------------
    def first_user_index(self):
        for i, m in enumerate(self.messages):
            if m["role"] == "user":
                return i
        raise ValueError("row without user turn")

    @property
    def user(self):
        return self.messages[self.first_user_index()]["content"]

    @user.setter
    def user(self, value):
        self.messages[self.first_user_index()]["content"] = value

    def copy(self):
        r = Row([dict(m) for m in self.messages], self.lang, self.task)
        return r

    def to_json(self):
        return json.dumps({"messages": self.messages}, ensure_ascii=False)


def chat(system, turns, lang, task):
    """Build a Row from an optional system prompt and alternating turns."""
    msgs = []
    if system:
        msgs.append({"role": "system", "content": system})
    roles = ("user", "assistant")
    for i, t in enumerate(turns):
        msgs.append({"role": roles[i % 2], "content": t})
    return Row(msgs, lang, task)


def similarity_text(messages):
    return " ".join(m["content"] for m in messages if m["role"] != "system")


def shingles(text, n=SHINGLE_N):
    t = WS_RE.sub(" ", text.lower()).strip()
    if len(t) <= n:
        return {t}
    return {t[i : i + n] for i in range(len(t) - n + 1)}


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class SimilarityPool:
    """Accept rows only if they are not too similar to earlier ones."""

    def __init__(self, limit=MAX_NATURAL_SIMILARITY):
        self.limit = limit
        self.sets = []
        self.exact = set()

    def offer(self, row):
        text = similarity_text(row.messages)
        key = row.to_json()
        if key in self.exact:
            return False
        sh = shingles(text)
        for other in self.sets:
            # cheap size bound before the full Jaccard
            small, big = sorted((len(sh), len(other)))
            if big and small / big < self.limit:
                continue
            if jaccard(sh, other) >= self.limit:
                return False
        self.sets.append(sh)
        self.exact.add(key)
        return True


def fill(rng, makers, n, pool, max_tries=200):
    """Draw rows from weighted ``makers`` until ``n`` are accepted.

    ``makers`` is a list of (weight, callable(rng) -> Row).
    """
    weights = [w for w, _ in makers]
    funcs = [f for _, f in makers]
    rows = []
    misses = 0
    while len(rows) < n:
        f = rng.choices(funcs, weights)[0]
        row = f(rng)
        if pool.offer(row):
            rows.append(row)
            misses = 0
        else:
            misses += 1
            if misses > max_tries:
                raise RuntimeError(f"generator ran out of variety after {len(rows)} rows")
    return rows


def fill_balanced(rng, makers, n, pool, tries=60):
    """Like ``fill`` but gives each maker a quota proportional to its weight,
    so that families whose rows are easily rejected as too similar are not
    crowded out.  A maker that cannot produce an accepted row within
    ``tries`` draws is retired and the others make up its quota."""
    total = sum(w for w, _ in makers)
    quotas = [int(n * w / total) for w, _ in makers]
    for i in range(n - sum(quotas)):
        quotas[i % len(quotas)] += 1
    retired = set()
    rows = []
    while len(rows) < n:
        live = [i for i in range(len(makers)) if i not in retired]
        if not live:
            raise RuntimeError(f"generator ran out of variety after {len(rows)} rows")
        if all(quotas[i] <= 0 for i in live):
            for i in live:
                quotas[i] += 1
        for i in live:
            if quotas[i] <= 0 or len(rows) >= n:
                continue
            for _ in range(tries):
                row = makers[i][1](rng)
                if pool.offer(row):
                    rows.append(row)
                    quotas[i] -= 1
                    break
            else:
                retired.add(i)
    return rows


def fill_unique(rng, items, pool):
    """Offer each pre-built row once (hand-written Q&A); keep the accepted."""
    out = []
    for row in items:
        if pool.offer(row):
            out.append(row)
    return out


# --------------------------------------------------------------------------
# Number formatting


def money(x, decimals=2):
    """1234567.5 -> '1,234,567.50' (prose)."""
    return f"{x:,.{decimals}f}"


def plain(x, decimals=2):
    """Number as written in Calculation/Answer lines: no separators."""
    s = f"{x:.{decimals}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s


def trim(x):
    """Drop a trailing '.0' etc.: 4.50 -> '4.5', 12.0 -> '12'."""
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return s if s != "-0" else "0"


# --------------------------------------------------------------------------
# PII makers (all checksums valid)


def luhn_check_digit(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # positions that get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def make_card(rng, brand=None):
    brand = brand or rng.choice(["visa", "mastercard", "amex", "unionpay"])
    if brand == "visa":
        prefix, length, groups = "4", 16, (4, 4, 4, 4)
    elif brand == "mastercard":
        prefix, length, groups = str(rng.randint(51, 55)), 16, (4, 4, 4, 4)
    elif brand == "amex":
        prefix, length, groups = rng.choice(["34", "37"]), 15, (4, 6, 5)
    else:
        prefix, length, groups = "62" + str(rng.randint(22, 28)), 16, (4, 4, 4, 4)
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    number = body + luhn_check_digit(body)
    sep = rng.choice([" ", "-", ""])
    parts, i = [], 0
    for g in groups:
        parts.append(number[i : i + g])
        i += g
    return sep.join(parts)


def _iban_check(country, bban):
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def make_iban(rng, country=None):
    country = country or rng.choice(["DE", "GB", "NL", "FR"])
    digits = lambda k: "".join(str(rng.randint(0, 9)) for _ in range(k))  # noqa: E731
    if country == "DE":
        bban = digits(18)
    elif country == "GB":
        bban = rng.choice(["NWBK", "BARC", "HBUK", "LOYD"]) + digits(14)
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO"]) + digits(10)
    else:  # FR: 5 bank + 5 branch + 11 account + 2 key (key not checked here)
        bban = digits(23)
    iban = country + _iban_check(country, bban) + bban
    if rng.random() < 0.5:
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


CN_AREAS = ["110105", "110108", "310104", "310115", "440305", "440106", "330106", "510107", "420106", "320102"]
_CN_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CN_MAP = "10X98765432"


def cn_id_check(first17):
    return _CN_MAP[sum(int(c) * w for c, w in zip(first17, _CN_W, strict=True)) % 11]


def make_cn_id(rng):
    area = rng.choice(CN_AREAS)
    y = rng.randint(1955, 2003)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    seq = f"{rng.randint(1, 999):03d}"
    first17 = f"{area}{y:04d}{m:02d}{d:02d}{seq}"
    return first17 + cn_id_check(first17)


def make_ssn(rng):
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


EN_FIRST = ["anna", "mark", "julia", "tom", "priya", "diego", "sara", "kevin", "lena", "omar", "grace", "noah"]
EN_LAST = ["keller", "brooks", "nguyen", "patel", "garcia", "smith", "okafor", "larsen", "moreau", "chen"]
ZH_PINYIN = ["li.wei", "wang.fang", "zhang.min", "liu.yang", "chen.jing", "zhao.lei", "huang.xin", "zhou.ting"]


def make_email(rng, lang="en"):
    if lang == "zh":
        user = rng.choice(ZH_PINYIN) + str(rng.randint(10, 99))
        domain = rng.choice(["example.cn", "example.com", "mail.example.org"])
    else:
        user = rng.choice(EN_FIRST) + rng.choice([".", "_", ""]) + rng.choice(EN_LAST)
        domain = rng.choice(["example.com", "example.org", "example.net"])
    return f"{user}@{domain}"


def make_phone(rng, fmt):
    if fmt == "cn_mobile":
        prefix = rng.choice(["138", "139", "137", "150", "186", "135", "158", "188"])
        rest = "".join(str(rng.randint(0, 9)) for _ in range(8))
        num = prefix + rest
        if rng.random() < 0.3:
            return f"+86 {num[:3]} {num[3:7]} {num[7:]}"
        return num
    if fmt == "us":
        area = rng.choice(["212", "415", "312", "617", "206", "303"])
        line = f"01{rng.randint(0, 99):02d}"  # 555-01xx is reserved for fiction
        return rng.choice([f"({area}) 555-{line}", f"{area}-555-{line}", f"+1 {area} 555 {line}"])
    # uk, Ofcom drama range 020 7946 0xxx
    return f"+44 20 7946 0{rng.randint(0, 999):03d}"


def make_mrn(rng):
    return f"{rng.randint(0, 9999999):08d}"


def make_dob(rng):
    return f"{rng.randint(1940, 2015):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# Sentences that carry PII into a user turn.  {v} is the value.
PII_SENTENCES = {
    "email": {
        "en": ["My e-mail is {v}.", "Please reply to {v}.", "You can reach me at {v}."],
        "zh": ["我的邮箱是{v}。", "请回复到邮箱{v}。", "可以发邮件到{v}联系我。"],
    },
    "phone": {
        "en": ["Call me back on {v}.", "My phone number is {v}.", "My number is {v} if you need it."],
        "zh": ["我的手机号是{v}。", "请回电{v}。", "联系电话：{v}。"],
    },
    "card": {
        "en": ["My card number is {v}.", "The card is {v}.", "(card {v})"],
        "zh": ["我的卡号是{v}。", "银行卡号：{v}。", "（卡号{v}）"],
    },
    "iban": {
        "en": ["My IBAN is {v}.", "Funds go to IBAN {v}.", "Account IBAN: {v}."],
        "zh": ["收款账户IBAN为{v}。", "我的IBAN是{v}。"],
    },
    "ssn": {
        "en": ["My SSN is {v}.", "SSN: {v}.", "Social Security number {v} is on file."],
        "zh": ["我的美国社保号（SSN）是{v}。"],
    },
    "cn_id": {
        "en": ["My Chinese resident ID is {v}.", "ID card no. {v}."],
        "zh": ["我的身份证号是{v}。", "身份证号码：{v}。", "本人身份证{v}。"],
    },
}


def pii_value(rng, kind, lang, fmt=None):
    """Return (value, extra-fields) for a PII kind."""
    if kind == "email":
        return make_email(rng, lang), {}
    if kind == "phone":
        fmt = fmt or ("cn_mobile" if lang == "zh" else rng.choice(["us", "us", "uk"]))
        return make_phone(rng, fmt), {"format": fmt}
    if kind == "card":
        return make_card(rng), {}
    if kind == "iban":
        return make_iban(rng), {}
    if kind == "ssn":
        return make_ssn(rng), {}
    if kind == "cn_id":
        return make_cn_id(rng), {}
    if kind == "mrn":
        return make_mrn(rng), {}
    if kind == "dob":
        return make_dob(rng), {}
    raise KeyError(kind)


# --------------------------------------------------------------------------
# Defect planters.  Each returns True when it changed the row.


def plant_pii_sentence(rng, row, kind, fmt=None):
    value, extra = pii_value(rng, kind, row.lang, fmt)
    sentence = rng.choice(PII_SENTENCES[kind][row.lang]).format(v=value)
    sep = "" if row.lang == "zh" else " "
    if rng.random() < 0.5:
        row.user = sentence + sep + row.user
    else:
        row.user = row.user.rstrip() + sep + sentence
    row.plants.append(dict({"kind": "pii", "type": kind, "value": value}, **extra))
    return True


HTML_WRAPS = [
    ("<p>", "</p>"),
    ("<div>", "</div>"),
    ("<b>", "</b>"),
    ('<span style="color:red">', "</span>"),
]


def plant_html(rng, row):
    text = row.user
    style = rng.randrange(3)
    if style == 0:
        open_, close = rng.choice(HTML_WRAPS)
        new = open_ + text + close
        tag = open_
    elif style == 1:
        # line breaks as <br> tags, plus an entity
        if "\n" in text:
            new = text.replace("\n", "<br>\n", 1)
        else:
            cut = _sentence_cut(text)
            new = text[:cut] + "<br>" + text[cut:]
        new = new.replace(" ", "&nbsp;", 1) if row.lang == "en" else new + "&nbsp;"
        tag = "<br>"
    else:
        cut = _sentence_cut(text)
        new = "<p>" + text[:cut] + "</p><p>" + text[cut:].lstrip() + "</p>"
        tag = "<p>"
    row.user = new
    row.plants.append({"kind": "html", "value": tag})
    return True


def _sentence_cut(text):
    for mark in ("。", ". ", "？", "? ", "，", ", "):
        i = text.find(mark)
        if 0 < i < len(text) - 2:
            return i + len(mark.rstrip())
    i = text.find(" ", len(text) // 2)
    return i if i > 0 else len(text) // 2


def mojibake(s):
    """UTF-8 bytes read as Windows-1252 (the classic 'â€™' damage)."""
    return s.encode("utf-8").decode("cp1252")


EN_REMARKS = [
    ("Thanks \u2014 it\u2019s urgent.", "\u2019"),
    ("I\u2019d appreciate a quick reply.", "\u2019"),
    ("Please check \u201cpriority\u201d handling.", "\u201c"),
    ("Caf\u00e9 branch, ref. 12.", "\u00e9"),
]


def plant_mojibake(rng, row):
    text = row.user
    if row.lang == "en":
        # give the text typographic characters first, then damage them
        candidates = []
        if "'" in text:
            candidates.append(("'", "\u2019"))
        if " - " in text:
            candidates.append((" - ", " \u2014 "))
        if '"' in text:
            candidates.append(('"', "\u201c"))
        for sym in ("\u20ac", "\u00a3", "\u00e9", "\u00d7"):  # euro, pound, e-acute, times
            if sym in text:
                candidates.append((sym, sym))
        if not candidates:
            # append a remark with typographic characters, then damage it
            remark, ch = rng.choice(EN_REMARKS)
            text = text.rstrip() + " " + remark
            row.user = text.replace(ch, mojibake(ch))
            row.plants.append({"kind": "mojibake", "value": mojibake(ch), "original": ch})
            return True
        src, typo = rng.choice(candidates)
        typo_text = text.replace(src, typo)
        damaged_char = mojibake(typo.strip())
        row.user = typo_text.replace(typo.strip(), damaged_char)
        row.plants.append({"kind": "mojibake", "value": damaged_char, "original": typo.strip()})
        return True
    # Chinese: damage one clause that survives a strict cp1252 round trip
    clauses = [c for c in re.split(r"(?<=[，。？！；])", text) if CJK_RE.search(c)]
    rng.shuffle(clauses)
    for clause in clauses:
        core = clause.strip()
        if len(core) < 4:
            continue
        try:
            bad = mojibake(core)
        except UnicodeDecodeError:
            continue
        # keep the row recognisably Chinese elsewhere
        rest = text.replace(core, "", 1)
        if not CJK_RE.search(rest):
            continue
        row.user = text.replace(core, bad, 1)
        row.plants.append({"kind": "mojibake", "value": bad, "original": core})
        return True
    return False


def plant_misspelling(rng, row, table):
    """``table`` is a list of (correct, misspelled); replace first match in user turn."""
    options = [(c, w) for c, w in table if c in row.user]
    if not options:
        return False
    correct, wrong = rng.choice(options)
    row.user = row.user.replace(correct, wrong, 1)
    row.plants.append({"kind": "misspelled_term", "value": wrong, "correct": correct})
    return True


# near-duplicate edits: small word swaps and punctuation changes
EN_WORD_SWAPS = [
    ("What is", "What's"),
    ("what is", "what's"),
    ("Please", "Kindly"),
    ("please", "kindly"),
    ("Calculate", "Compute"),
    ("calculate", "compute"),
    ("customer", "client"),
    ("patient", "pt"),
    (" and ", " & "),
    ("Can you", "Could you"),
    ("can you", "could you"),
    ("I have", "I've"),
    ("does not", "doesn't"),
    ("do not", "don't"),
    ("years", "yrs"),
    ("approximately", "about"),
    ("a bank", "one bank"),
]
ZH_WORD_SWAPS = [
    ("请", "麻烦"),
    ("计算", "算一下"),
    ("客户", "顾客"),
    ("是否", "是不是"),
    ("多少", "几多"),
    ("患者", "病人"),
    ("帮我", "帮忙"),
    ("已经", "已"),
    ("现在", "目前"),
    ("一下", "下"),
]
# (regex, replacement): sentence punctuation only, never a decimal point
EN_PUNCT = [(r"\?(?=\s|$)", " ?"), (r"\.(?=\s|$)", "!"), (r",(?= )", " ,"), (r"\.(?=\s|$)", ";")]
ZH_PUNCT = [("，", ","), ("。", "."), ("？", "?"), ("：", ":")]


def make_near_duplicate(rng, row):
    """Return a copy of ``row`` with 1-2 small edits in the user turn, or None."""
    dup = row.copy()
    text = dup.user
    swaps = EN_WORD_SWAPS if row.lang == "en" else ZH_WORD_SWAPS
    puncts = EN_PUNCT if row.lang == "en" else ZH_PUNCT
    mode = rng.choice(["word", "punct", "both"])
    changes = []
    if mode in ("word", "both"):
        opts = [(a, b) for a, b in swaps if a in text and a != b]
        if opts:
            a, b = rng.choice(opts)
            text = text.replace(a, b, 1)
            changes.append("word")
    if mode in ("punct", "both") or not changes:
        pats = [(re.compile(a if row.lang == "en" else re.escape(a)), b) for a, b in puncts]
        opts = [(pat, b) for pat, b in pats if pat.search(text)]
        if opts:
            pat, b = rng.choice(opts)
            # change the last occurrence so the edit differs from a word swap
            m = list(pat.finditer(text))[-1]
            text = text[: m.start()] + b + text[m.end() :]
            changes.append("punctuation")
    if not changes or text == row.user:
        return None
    dup.user = text
    sim = jaccard(shingles(similarity_text(row.messages)), shingles(similarity_text(dup.messages)))
    if sim < MIN_NEAR_DUP_SIMILARITY:
        return None
    dup.source = row
    dup.plants.append({"kind": "near_duplicate", "change": "+".join(changes), "similarity": round(sim, 3)})
    return dup

"""Benchmark of dataset validation + cleaning: speed, peak memory and accuracy.

For each N, generates N synthetic chat rows (English and Chinese, banking) in a
temp dir with a ground-truth file: planted exact duplicates (5%, some differing
only in case or spacing), near duplicates (5%, one word replaced or two letters
swapped; character-shingle Jaccard >= 0.9 to the source, checked), PII (e-mails;
Chinese, US and international phones; Luhn-valid cards; valid IBANs; SSNs; valid
Chinese resident IDs) and decoy numbers that must survive (amounts, years, dates,
order numbers, percentages, tracking codes, 16-digit numbers failing Luhn).
Each user message starts with a unique tag ("Case bcdf..", "工单bcdf..") shared
only by its planted duplicates, so one streaming pass matches kept rows back to
input rows (the pipeline only drops rows, in order).

A fresh subprocess per N (ru_maxrss is per N) times `validate_file` + `clean_file`
with every step on and the finance knowledge base; generation and scoring are
not timed. Scores: dup recall = planted dups dropped / planted dups; dup
precision = planted dups dropped / rows dropped; PII recall = planted values gone
from kept rows / planted values in kept rows; PII precision = 1 - placeholders
beyond the values masked (per row) / placeholders.

Run:  .venv/bin/python bench/datasets.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobs.pipeline.data.cleaning.dedup import dedup_text  # noqa: E402
from jobs.pipeline.data.cleaning.toxicity import load_wordlist  # noqa: E402

EN = """account balance transfer card loan interest rate bank branch password reset payment limit credit debit
statement fee charge dispute refund online mobile app login verify identity address update mortgage deposit
savings checking overdraft wire routing cheque merchant currency exchange pension insurance premium policy claim
broker portfolio equity bond yield dividend coupon maturity tenor collateral margin ledger audit invoice receipt
budget salary payroll tax return customer service manager advisor morning evening weekly monthly quarterly annual
early late pending approved declined blocked frozen active closed new small large quick safe secure counter teller
vault branch holiday weekend travel abroad fraud alert notice letter form signature document passport license
utility bill rent tuition gift donation cash withdrawal machine receipt code token device browser network error
delay settlement clearing batch schedule standing order direct recurring cancel renew upgrade downgrade reward
points cashback annual waiver promotion offer request approval review branch visit appointment queue""".split()
_ZH = """账户 余额 转账 银行卡 贷款 利率 网点 密码 重置 支付 限额 信用卡 借记卡 对账单 手续费 争议 退款 网上银行
手机银行 登录 验证 身份 地址 更新 房贷 存款 储蓄 透支 汇款 外汇 汇率 养老金 保险 保费 理赔 基金 股票 债券 收益
分红 到期 抵押 保证金 发票 预算 工资 税务 客户 服务 经理 顾问 上午 下午 每周 每月 季度 年度 审批 冻结 激活 注销
开户 销户 挂失 补办 短信 通知 风险 评估 额度 提额 分期 还款 逾期 罚息 积分 兑换 优惠 活动 柜台 排队 预约 转入
转出 查询 明细 流水 证明 签约 解约 授权 安全 令牌 指纹 识别 系统 升级 维护 暂停 恢复 处理 成功 失败 原因 说明
办理 材料 复印件 营业执照 企业 公司 对公 结算 现金 支票 存单 定期 活期 利息 本金 复利 年化 计算 费用 减免 申请
提交 审核 结果 反馈 投诉 建议 满意 资本充足率 流动性 监管 合规 反洗钱 跨境 额度内 临时 永久 自动 手动""".split()
_TOXIC_CHARS = set("".join(load_wordlist("zh")))
ZH = [w for w in _ZH if not _TOXIC_CHARS & set(w)]  # no toxic word can form from these
TAG_ALPHABET = "bcdfghjkmnpqrstvwxz"  # no vowels: a tag never spells a listed word
SYSTEM = {"en": "You are a helpful banking assistant.", "zh": "你是一名银行客服助理。"}
NAMES = "li wang zhang liu chen yang anna john maria david sarah tom".split()
DOMAINS = ["example.com", "qq.com", "163.com", "mail.bank.co.uk", "corp.example.org"]
PII_TEMPLATES = {
    "en": {"email": "You can email me at {}.", "phone": "Call me on {} after six.", "card": "My card number is {}.",
           "iban": "Please send it to IBAN {}.", "ssn": "My SSN is {}.", "cn_id": "My ID number is {}."},
    "zh": {"email": "邮箱是{}，", "phone": "手机{}，请回电。", "card": "卡号{}。", "iban": "收款账户{}。",
           "ssn": "SSN {}。", "cn_id": "身份证号{}。"},
}  # fmt: skip
CN_PROVINCES = [11, 12, 13, 31, 32, 33, 34, 35, 37, 41, 42, 43, 44, 50, 51, 61]
PLACEHOLDER = re.compile(r"\[(EMAIL|IBAN|CN_ID|CARD|SSN|MRN|DOB|PHONE)\]")
TAG = re.compile(r"(?:Case |工单)([a-z]{6})")


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_digit(body: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def gen_pii(rng: random.Random, kind: str) -> str:
    if kind == "email":
        return f"{rng.choice(NAMES)}.{rng.choice(NAMES)}{rng.randint(1, 9999)}@{rng.choice(DOMAINS)}"
    if kind == "phone":
        style = rng.randrange(5)
        if style < 2:  # Chinese mobile
            n = "1" + rng.choice("3456789") + digits(rng, 9)
            return rng.choice([n, f"{n[:3]} {n[3:7]} {n[7:]}", f"+86 {n}", f"+86-{n[:3]}-{n[3:7]}-{n[7:]}"])
        if style < 4:  # US
            a, ex = f"{rng.randint(2, 9)}{digits(rng, 2)}", f"{rng.randint(2, 9)}{digits(rng, 2)}"
            tail = digits(rng, 4)
            return rng.choice([f"({a}) {ex}-{tail}", f"{a}-{ex}-{tail}", f"+1 {a}.{ex}.{tail}"])
        return rng.choice([f"+44 20 {digits(rng, 4)} {digits(rng, 4)}", f"+49 30 {digits(rng, 8)}"])
    if kind == "card":
        prefix, size = rng.choice([("4", 16), ("5" + rng.choice("12345"), 16), ("62", 16), ("37", 15)])
        body = prefix + digits(rng, size - len(prefix) - 1)
        n = body + str(luhn_digit(body))
        sep = rng.choice(["", " ", "-"])
        parts = [n[:4], n[4:10], n[10:]] if size == 15 else [n[i : i + 4] for i in range(0, 16, 4)]
        return sep.join(parts)
    if kind == "iban":
        letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTUWY", k=4))
        country = rng.choice(["GB", "DE", "NL"])
        bban = {"GB": letters + digits(rng, 14), "DE": digits(rng, 18), "NL": letters + digits(rng, 10)}[country]
        check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
        iban = f"{country}{check:02d}{bban}"
        return rng.choice([iban, " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))])
    if kind == "ssn":
        area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])  # not 000, 666 or 9xx
        return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    body = f"{rng.choice(CN_PROVINCES)}{digits(rng, 4)}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{digits(rng, 3)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def gen_decoy(rng: random.Random, lang: str) -> tuple[str, list[str]]:
    """A sentence with ordinary numbers, and those numbers (they must survive)."""
    body = digits(rng, 15)
    bad16 = body + str((luhn_digit(body) + rng.randint(1, 9)) % 10)  # fails Luhn
    bad16 = rng.choice([bad16, " ".join(bad16[i : i + 4] for i in range(0, 16, 4))])
    amount, year = f"{rng.randint(10, 99999):,}.{rng.randint(0, 99):02d}", str(rng.randint(1990, 2030))
    order, date = str(rng.randint(10**6, 10**8 - 1)), f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    pct, track = f"{rng.randint(1, 30)}.{rng.randint(0, 9)}%", f"SF{digits(rng, 12)}"
    en = [(f"The transfer of ${amount} was booked in {year}.", [amount, year]),
          (f"Order number {order} from {date} is still pending.", [order, date]),
          (f"Reference {bad16} was logged for tracking code {track}.", [bad16, track]),
          (f"Our CET1 ratio of {pct} was reported in {year}.", [pct, year])]  # fmt: skip
    zh = [(f"{year}年转账{amount}元。", [year, amount]), (f"订单号{order}于{date}仍在处理。", [order, date]),
          (f"流水号{bad16}，运单{track}。", [bad16, track]), (f"资本充足率为{pct}。", [pct])]  # fmt: skip
    return rng.choice(en if lang == "en" else zh)


def gen_row(rng: random.Random, i: int) -> dict:
    lang = rng.choice(["en", "zh"])
    vocab = EN if lang == "en" else ZH
    tag = "".join(TAG_ALPHABET[(i // len(TAG_ALPHABET) ** k) % len(TAG_ALPHABET)] for k in range(6))
    user = [rng.choices(vocab, k=rng.randint(6, 12))]
    asst = [rng.choices(vocab, k=rng.randint(6, 14)) for _ in range(rng.randint(3, 5))]
    pii, decoys = [], []
    for _ in range(rng.choice([0] * 8 + [1, 2])):  # ~15% of rows get PII
        kind = rng.choice(["email", "phone", "phone", "card", "iban", "ssn", "cn_id"])
        value = gen_pii(rng, kind)
        pii.append([kind, value])
        (user if rng.random() < 0.3 else asst).insert(1, ("pii", kind, value))
    if rng.random() < 0.5:
        sentence, numbers = gen_decoy(rng, lang)
        asst.insert(rng.randrange(len(asst) + 1), sentence)
        decoys += numbers
    return {"lang": lang, "tag": tag, "user": user, "asst": asst, "pii": pii, "decoys": decoys}


def render(row: dict, masked: bool = False) -> dict:
    lang = row["lang"]

    def part(p) -> str:
        if isinstance(p, str):
            return p
        if isinstance(p, tuple):  # PII
            return PII_TEMPLATES[lang][p[1]].format(f"[{p[1].upper()}]" if masked else p[2])
        return " ".join(p).capitalize() + "." if lang == "en" else "".join(p) + "。"

    head = f"Case {row['tag']}: " if lang == "en" else f"工单{row['tag']}："
    joiner = " " if lang == "en" else ""
    return {"messages": [{"role": "system", "content": SYSTEM[lang]},
                         {"role": "user", "content": head + joiner.join(map(part, row["user"]))},
                         {"role": "assistant", "content": joiner.join(map(part, row["asst"]))}]}  # fmt: skip


def shingles(text: str) -> set[str]:
    """The pipeline's shingles: 5 characters, 2 where a CJK character starts one."""
    sizes = ((p, 2 if "\u3400" <= ch <= "\u9fff" else 5) for p, ch in enumerate(text))
    return {text[p : p + k] for p, k in sizes if p + k <= len(text)} or {text}


def jaccard(a: dict, b: dict) -> float:
    sa, sb = (shingles(dedup_text("\n".join(m["content"] for m in render(r, True)["messages"]))) for r in (a, b))
    return len(sa & sb) / len(sa | sb)


def near_copy(rng: random.Random, src: dict) -> dict:
    """`src` with one word replaced (or two letters swapped), Jaccard >= 0.9."""
    while True:
        row = {**src, "user": list(src["user"]), "asst": list(src["asst"])}
        msg = row["user"] if rng.random() < 0.3 else row["asst"]
        at = rng.choice([k for k, p in enumerate(msg) if isinstance(p, list)])
        words = msg[at] = list(msg[at])
        w = rng.randrange(len(words))
        if row["lang"] == "en" and rng.random() < 0.5 and len(words[w]) >= 4:
            s = words[w]
            words[w] = s[0] + s[2] + s[1] + s[3:]
        else:
            words[w] = rng.choice(EN if row["lang"] == "en" else ZH)
        if render(row) != render(src) and jaccard(row, src) >= 0.9:
            return row


def cosmetic(rng: random.Random, rendered: dict, swapcase: bool) -> dict:
    """An exact duplicate as the pipeline sees it: only case or spacing differs."""
    msgs = [dict(m) for m in rendered["messages"]]
    text = msgs[2]["content"]
    msgs[2]["content"] = rng.choice([text + "  ", text.replace(" ", "  ", 1), text.swapcase() if swapcase else text])
    return {"messages": msgs}


def generate(n: int, raw_path: Path, truth_path: Path, seed: int = 7) -> int:
    """Write the rows and their ground truth; returns the characters of text written."""
    rng, pool, seen, chars = random.Random(seed), [], 0, 0
    with raw_path.open("w", encoding="utf-8") as raw, truth_path.open("w", encoding="utf-8") as truth:
        for i in range(n):
            r = rng.random()
            if pool and r < 0.10:
                src = rng.choice(pool)  # reservoir sample: sources from anywhere earlier
                row, dup = (src, 1) if r < 0.05 else (near_copy(rng, src), 2)
            else:
                row, dup, seen = gen_row(rng, i), 0, seen + 1
                if len(pool) < 10_000:
                    pool.append(row)
                elif (k := rng.randrange(seen)) < 10_000:
                    pool[k] = row
            out = render(row)
            if dup == 1 and rng.random() < 0.5:
                out = cosmetic(rng, out, swapcase=not row["pii"])
            chars += sum(len(m["content"]) for m in out["messages"])
            raw.write(json.dumps(out, ensure_ascii=False) + "\n")
            truth.write(json.dumps([row["tag"], dup, row["pii"], row["decoys"]], ensure_ascii=False) + "\n")
    return chars


def child(raw: Path, work: Path) -> None:
    import yaml

    from jobs.pipeline.data.cleaning import CleaningConfig, KnowledgeBase, clean_file
    from jobs.pipeline.data.formats import validate_file

    kb = KnowledgeBase.from_dict(yaml.safe_load((ROOT / "catalog/finance/knowledge.yaml").read_text()))
    started = time.perf_counter()
    validation = validate_file(raw, output_path=work / "canonical.jsonl")
    assert validation.ok, validation.problems[:3]
    validated = time.perf_counter()
    report = clean_file(work / "canonical.jsonl", work / "cleaned.jsonl", CleaningConfig(), kb=kb)
    done = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    counts = {s.name: s.counts for s in report.steps}
    print(json.dumps({"seconds": done - started, "validate_s": validated - started, "rss_mib": rss, "counts": counts}))


def score(cleaned: Path, truth_path: Path) -> Counter:
    s: Counter = Counter()
    with cleaned.open(encoding="utf-8") as out, truth_path.open(encoding="utf-8") as truth:
        current = None
        for line in truth:
            if current is None and (out_line := out.readline()):
                msgs = json.loads(out_line)["messages"]
                user = next(m["content"] for m in msgs if m["role"] == "user")
                current = (TAG.match(user).group(1), "\n".join(m["content"] for m in msgs))
            tag, dup, pii, decoys = json.loads(line)
            s["rows"] += 1
            s["planted_dups"] += dup > 0
            if current is None or current[0] != tag:  # dropped
                s["dropped"] += 1
                s["dropped_dups"] += dup > 0
                continue
            text, current = current[1], None
            gone = [kind for kind, value in pii if value not in text]
            masks = Counter(PLACEHOLDER.findall(text))
            s["pii_planted"] += len(pii)
            s["pii_masked"] += len(gone)
            s["pii_right_kind"] += sum((Counter(k.upper() for k in gone) & masks).values())
            s["masks"] += masks.total()
            s["masks_extra"] += max(0, masks.total() - len(gone))
            s["decoys"] += len(decoys)
            s["decoys_lost"] += sum(d not in text for d in decoys)
        assert current is None and not out.readline(), "output rows do not line up with the input"
    return s


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--child", nargs=2, metavar=("RAW", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), Path(args.child[1]))
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"bench-datasets-{n}-") as tmp:
            work = Path(tmp)
            t = time.perf_counter()
            chars = generate(n, work / "raw.jsonl", work / "truth.jsonl")
            gen_s = time.perf_counter() - t
            cmd = [sys.executable, __file__, "--child", str(work / "raw.jsonl"), str(work)]
            run = json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1])
            s = score(work / "cleaned.jsonl", work / "truth.jsonl")
        r = {"n": n, **run, "s": s, "dup_r": ratio(s["dropped_dups"], s["planted_dups"]),
             "dup_p": ratio(s["dropped_dups"], s["dropped"]), "pii_r": ratio(s["pii_masked"], s["pii_planted"]),
             "pii_p": 1 - ratio(s["masks_extra"], s["masks"]) if s["masks"] else 1.0}  # fmt: skip
        results.append(r)
        c = run["counts"]
        print(f"N={n:,} ({chars / n:.0f} chars a row): generated in {gen_s:.0f}s, validated in "
              f"{run['validate_s']:.1f}s; dropped {s['dropped']:,} rows for {s['planted_dups']:,} planted dups "
              f"(dedup {c['dedup']}, toxicity {c['toxicity']}, normalize {c['normalize']}); PII values masked "
              f"{s['pii_masked']:,}/{s['pii_planted']:,} ({s['pii_right_kind']:,} with the right placeholder), "
              f"placeholders {s['masks']:,} ({s['masks_extra']} extra); decoy numbers lost "
              f"{s['decoys_lost']}/{s['decoys']:,}; knowledge {c['knowledge']}", flush=True)  # fmt: skip
    head = ("N", "rows/s", "seconds", "peak MiB", "dup R", "dup P", "PII R", "PII P")
    print("\n" + " ".join(f"{h:>9}" for h in head))
    for r in results:
        print(f"{r['n']:>9,} {r['n'] / r['seconds']:>9,.0f} {r['seconds']:>9.1f} {r['rss_mib']:>9.0f} "
              f"{r['dup_r']:>9.4f} {r['dup_p']:>9.4f} {r['pii_r']:>9.4f} {r['pii_p']:>9.4f}")  # fmt: skip
    by_n = {r["n"]: r for r in results}
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    if 100_000 in by_n:
        speed = by_n[100_000]["n"] / by_n[100_000]["seconds"]
        print(f"throughput >= 5,000 rows/s at 100k: {verdict(speed >= 5000)} ({speed:,.0f} rows/s)")
    big, small = max(results, key=lambda r: r["n"]), min(results, key=lambda r: r["n"])
    growth = (big["rss_mib"] - small["rss_mib"]) * 2**20 / max(1, big["n"] - small["n"])
    print(f"peak RSS < 1 GiB at {big['n']:,} rows: {verdict(big['rss_mib'] < 1024)} ({big['rss_mib']:.0f} MiB; "
          f"{growth:.0f} bytes/row more from {small['n']:,} to {big['n']:,})")  # fmt: skip
    dup_ok = all(r["dup_r"] >= 0.99 and r["dup_p"] >= 0.99 for r in results)
    pii_ok = all(r["pii_r"] >= 0.99 and r["pii_p"] >= 0.99 for r in results)
    print(f"duplicate recall and precision >= 0.99 at every N: {verdict(dup_ok)}")
    print(f"PII recall and precision >= 0.99 at every N: {verdict(pii_ok)}")


if __name__ == "__main__":
    main()

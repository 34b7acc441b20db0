# ruff: noqa: E501  (data tables: long hand-written strings)
"""Finance demo rows: risk & compliance Q&A and numeric reasoning.

Answer style (every row, both languages):

    Conclusion: <one line>             结论：<一句话>
    Calculation: <expr> = <result>     计算：<算式> = <结果>
      (or Basis: + "- " bullets)         （或 依据： + "- " 要点）
    Answer: <number><unit>             答案：<数值><单位>

Calculation lines contain only numbers, + - × ÷ ^ √ and parentheses; several
steps are separated by "; ".  The Answer number equals the result of the last
step, so an evaluation can check numeric exact match.
"""

from __future__ import annotations

import math
from functools import partial

from _demo_common import chat, fill_balanced, fill_unique, money, plain, trim

NAME = "finance"

SYSTEM = {
    "en": "You are a banking risk and compliance assistant. Reply with a one-line conclusion, then the calculation or basis, and end with a single Answer line.",
    "zh": "你是银行风险与合规助手。先给出一句话结论，再给出计算过程或依据，最后一行给出答案。",
}

BANKS_EN = [
    "Northbridge Bank",
    "Harbor Trust",
    "Pinecrest Savings",
    "Redwood Commercial Bank",
    "Lakeside Credit Union",
    "Summit National Bank",
    "Bayview Bank",
    "Ironwood Capital Bank",
    "Meridian Bank",
    "Oakfield Bank",
]
BANKS_ZH = [
    "华信银行",
    "东海商业银行",
    "长江农商银行",
    "瑞丰银行",
    "北辰银行",
    "金桥城市银行",
    "南山村镇银行",
    "汇通银行",
    "青岚银行",
    "明德银行",
]
FIRMS_EN = [
    "Acme Logistics",
    "Blue River Foods",
    "Greenline Solar",
    "Harper Tools",
    "Northwind Apparel",
    "Cedar Clinics",
    "Atlas Printing",
    "Silverline Hotels",
    "Brightway Dental",
    "Copperfield Farms",
    "Vista Labs",
    "Keystone Motors",
]
FIRMS_ZH = [
    "恒达物流",
    "青禾食品",
    "明远科技",
    "华盛建材",
    "博雅教育",
    "天成医药",
    "瑞祥酒店",
    "金穗农业",
    "远航汽配",
    "新源光伏",
    "嘉禾印务",
    "悦康诊所",
]


def _sys(rng, lang):
    return SYSTEM[lang] if rng.random() < 0.5 else None


def _row(rng, lang, task, question, answer):
    return chat(_sys(rng, lang), [question, answer], lang, task)


def _num_answer(lang, conclusion, calc_steps, answer_value, unit):
    calc = "; ".join(calc_steps)
    if lang == "en":
        return f"Conclusion: {conclusion}\nCalculation: {calc}\nAnswer: {answer_value}{unit}"
    return f"结论：{conclusion}\n计算：{calc}\n答案：{answer_value}{unit}"


def _basis_answer(lang, conclusion, bullets, answer):
    lines = "\n".join("- " + b for b in bullets)
    if lang == "en":
        return f"Conclusion: {conclusion}\nBasis:\n{lines}\nAnswer: {answer}"
    return f"结论：{conclusion}\n依据：\n{lines}\n答案：{answer}"


def _pick(rng, lo, hi, step):
    n = int(round((hi - lo) / step))
    return round(lo + step * rng.randint(0, n), 6)


# --------------------------------------------------------------------------
# Numeric families.  Each returns a Row for the requested language.


def simple_interest(rng, lang):
    p = _pick(rng, 5000, 400000, 500)
    r = _pick(rng, 2.0, 9.5, 0.25)
    t = rng.randint(1, 7)
    i = p * (r / 100) * t
    steps = [f"{trim(p)} × {trim(r / 100)} × {t} = {plain(i)}"]
    if lang == "en":
        firm = rng.choice(FIRMS_EN)
        q, who = rng.choice(
            [
                (
                    f"{firm} borrows ${money(p, 0)} at a simple annual interest rate of {trim(r)}% for {t} years. How much interest will it pay?",
                    f"{firm} pays",
                ),
                (
                    f"Calculate the simple interest on a ${money(p, 0)} loan at {trim(r)}% per year over {t} years.",
                    "The loan accrues",
                ),
                (
                    f"A term deposit of ${money(p, 0)} earns {trim(r)}% simple interest a year. What interest does it earn after {t} years?",
                    "The deposit earns",
                ),
            ]
        )
        concl = f"{who} ${money(i)} of simple interest over {t} years."
        return _row(rng, lang, "simple_interest", q, _num_answer(lang, concl, steps, plain(i), " USD"))
    firm = rng.choice(FIRMS_ZH)
    q = rng.choice(
        [
            f"{firm}以{trim(r)}%的年利率（单利）借款{money(p, 0)}元，期限{t}年，应付利息是多少？",
            f"请计算本金{money(p, 0)}元、年利率{trim(r)}%、期限{t}年的单利利息。",
            f"一笔{money(p, 0)}元的定期存款按年利率{trim(r)}%单利计息，{t}年后利息是多少？",
        ]
    )
    concl = f"{t}年的单利利息为{money(i)}元。"
    return _row(rng, lang, "simple_interest", q, _num_answer(lang, concl, steps, plain(i), "元"))


FREQ = {1: ("annually", "按年"), 4: ("quarterly", "按季度"), 12: ("monthly", "按月")}


def compound_interest(rng, lang):
    p = _pick(rng, 2000, 250000, 1000)
    r = _pick(rng, 1.5, 8.0, 0.25)
    t = rng.randint(2, 15)
    n = rng.choice([1, 4, 12])
    a = p * (1 + (r / 100) / n) ** (n * t)
    if n == 1:
        steps = [f"{trim(p)} × (1 + {trim(r / 100)})^{t} = {plain(a)}"]
    else:
        steps = [f"{trim(p)} × (1 + {trim(r / 100)} ÷ {n})^({n} × {t}) = {plain(a)}"]
    if lang == "en":
        q = rng.choice(
            [
                f"You deposit ${money(p, 0)} at {trim(r)}% annual interest compounded {FREQ[n][0]}. What is the balance after {t} years?",
                f"What will ${money(p, 0)} grow to in {t} years at {trim(r)}% a year, compounded {FREQ[n][0]}?",
                f"A client invests ${money(p, 0)} in a savings bond paying {trim(r)}% per year with {FREQ[n][0]} compounding. Find the value after {t} years.",
            ]
        )
        concl = f"After {t} years the balance grows to ${money(a)}."
        return _row(rng, lang, "compound_interest", q, _num_answer(lang, concl, steps, plain(a), " USD"))
    q = rng.choice(
        [
            f"{money(p, 0)}元存入银行，年利率{trim(r)}%，{FREQ[n][1]}复利，{t}年后本息合计多少？",
            f"客户投资{money(p, 0)}元，年化收益率{trim(r)}%，{FREQ[n][1]}复利计息，{t}年后的本息和是多少？",
        ]
    )
    concl = f"{t}年后本息合计为{money(a)}元。"
    return _row(rng, lang, "compound_interest", q, _num_answer(lang, concl, steps, plain(a), "元"))


METRICS_EN = [
    "net interest income",
    "total deposits",
    "the loan book",
    "operating expenses",
    "operating profit",
    "trading revenue",
    "fee income",
    "mortgage lending",
]
METRICS_ZH = [
    "净利息收入",
    "存款总额",
    "贷款余额",
    "营业支出",
    "营业利润",
    "交易收入",
    "手续费收入",
    "个人住房贷款余额",
]


def percent_change(rng, lang):
    a = _pick(rng, 120, 4800, 0.5)
    change = rng.uniform(-0.25, 0.35)
    b = round(a * (1 + change) * 2) / 2
    if b == a:
        b += 0.5
    x = (b - a) / a * 100
    steps = [f"({trim(b)} - {trim(a)}) ÷ {trim(a)} × 100 = {plain(x)}"]
    if lang == "en":
        bank, metric = rng.choice(BANKS_EN), rng.choice(METRICS_EN)
        q = rng.choice(
            [
                f"{bank}'s {metric} moved from ${trim(a)} million last year to ${trim(b)} million this year. What is the percentage change?",
                f"Year over year, {metric} at {bank} went from ${trim(a)} million to ${trim(b)} million. Calculate the percentage change.",
            ]
        )
        word = "rose" if x > 0 else "fell"
        concl = f"{metric[0].upper() + metric[1:]} {word} by {plain(abs(x))}% year over year."
        return _row(rng, lang, "percent_change", q, _num_answer(lang, concl, steps, plain(x), "%"))
    bank, metric = rng.choice(BANKS_ZH), rng.choice(METRICS_ZH)
    q = rng.choice(
        [
            f"{bank}{metric}由上年的{trim(a)}亿元变为今年的{trim(b)}亿元，同比变动百分比是多少？",
            f"请计算{bank}{metric}的同比增长率：上年{trim(a)}亿元，今年{trim(b)}亿元。",
        ]
    )
    word = "增长" if x > 0 else "下降"
    concl = f"{metric}同比{word}{plain(abs(x))}%。"
    return _row(rng, lang, "percent_change", q, _num_answer(lang, concl, steps, plain(x), "%"))


def loan_to_value(rng, lang):
    v = _pick(rng, 150000, 1500000, 5000)
    cap = rng.choice([80, 80, 75, 90])
    ltv_target = rng.uniform(40, 100)
    loan = round(v * ltv_target / 100 / 1000) * 1000
    x = loan / v * 100
    steps = [f"{trim(loan)} ÷ {trim(v)} × 100 = {plain(x)}"]
    within = x <= cap
    if lang == "en":
        prop = rng.choice(
            ["a flat", "a townhouse", "a single-family home", "a buy-to-let apartment", "a retail unit", "a warehouse"]
        )
        q = rng.choice(
            [
                f"A borrower requests a ${money(loan, 0)} loan secured on {prop} appraised at ${money(v, 0)}. Policy caps the loan-to-value ratio at {cap}%. What is the LTV, and is it within policy?",
                f"Calculate the loan-to-value ratio for a ${money(loan, 0)} mortgage on {prop} valued at ${money(v, 0)}, and check it against our {cap}% LTV limit.",
            ]
        )
        verdict = (
            f"within the {cap}% limit"
            if within
            else f"above the {cap}% limit, so the loan needs a lower amount or an exception approval"
        )
        concl = f"The loan-to-value ratio is {plain(x)}%, {verdict}."
        return _row(rng, lang, "loan_to_value", q, _num_answer(lang, concl, steps, plain(x), "%"))
    q = rng.choice(
        [
            f"借款人申请贷款{money(loan, 0)}元，抵押房产评估价值{money(v, 0)}元，银行规定贷款价值比（LTV）不超过{cap}%。请计算贷款价值比并判断是否合规。",
            f"房产评估价{money(v, 0)}元，拟发放抵押贷款{money(loan, 0)}元，贷款价值比上限为{cap}%，请计算贷款价值比。",
        ]
    )
    verdict = f"未超过{cap}%的上限，符合政策" if within else f"超过{cap}%的上限，需降低贷款金额或走例外审批"
    concl = f"贷款价值比为{plain(x)}%，{verdict}。"
    return _row(rng, lang, "loan_to_value", q, _num_answer(lang, concl, steps, plain(x), "%"))


def dscr(rng, lang):
    ds = _pick(rng, 40000, 900000, 1000)
    target = rng.uniform(0.8, 2.4)
    noi = round(ds * target / 500) * 500
    x = noi / ds
    steps = [f"{trim(noi)} ÷ {trim(ds)} = {plain(x)}"]
    ok = round(x, 2) >= 1.25
    if lang == "en":
        firm = rng.choice(FIRMS_EN)
        q = rng.choice(
            [
                f"{firm} has net operating income of ${money(noi, 0)} a year and annual debt service of ${money(ds, 0)}. The covenant requires a debt-service coverage ratio of at least 1.25x. What is the DSCR?",
                f"Compute the debt-service coverage ratio for a borrower with ${money(noi, 0)} of annual net operating income and ${money(ds, 0)} of yearly principal and interest. Minimum covenant: 1.25x.",
                f"{firm} wants to refinance {rng.choice(['an office building', 'a warehouse', 'a hotel', 'a retail park', 'an apartment block'])}. Net operating income is ${money(noi, 0)} and the new loan's annual debt service would be ${money(ds, 0)}. Does the debt-service coverage ratio clear our 1.25x covenant?",
            ]
        )
        verdict = "meeting the 1.25x covenant" if ok else "breaching the 1.25x covenant"
        concl = f"The debt-service coverage ratio is {plain(x)}x, {verdict}."
        return _row(rng, lang, "dscr", q, _num_answer(lang, concl, steps, plain(x), "x"))
    firm = rng.choice(FIRMS_ZH)
    q = rng.choice(
        [
            f"{firm}年净营业收入{money(noi, 0)}元，年还本付息额{money(ds, 0)}元，贷款合同要求偿债覆盖率（DSCR）不低于1.25倍。请计算偿债覆盖率。",
            f"请计算偿债覆盖率：借款人年净营业收入{money(noi, 0)}元，每年需偿还本息{money(ds, 0)}元，约定下限为1.25倍。",
        ]
    )
    verdict = "满足1.25倍的约定" if ok else "低于1.25倍的约定，触发违约条款"
    concl = f"偿债覆盖率为{plain(x)}倍，{verdict}。"
    return _row(rng, lang, "dscr", q, _num_answer(lang, concl, steps, plain(x), "倍"))


CAPITAL = [
    # key, en name, en capital, zh ratio, zh capital, minimum incl. conservation buffer
    ("cet1", "CET1 ratio", "Common Equity Tier 1 (CET1) capital", "核心一级资本充足率", "核心一级资本", 7.0),
    ("tier1", "Tier 1 capital ratio", "Tier 1 capital", "一级资本充足率", "一级资本", 8.5),
    ("total", "total capital ratio", "total regulatory capital", "资本充足率", "总资本", 10.5),
]


def capital_ratio(rng, lang):
    _, en_ratio, en_cap, zh_ratio, zh_cap, floor = rng.choice(CAPITAL)
    rwa = _pick(rng, 800, 60000, 10)
    target = rng.uniform(floor - 2.5, floor + 7)
    cap = round(rwa * target / 100, 1)
    x = cap / rwa * 100
    steps = [f"{trim(cap)} ÷ {trim(rwa)} × 100 = {plain(x)}"]
    ok = round(x, 2) >= floor
    if lang == "en":
        bank = rng.choice(BANKS_EN)
        q = rng.choice(
            [
                f"{bank} reports {en_cap} of ${trim(cap)} million and risk-weighted assets of ${trim(rwa)} million. Calculate the {en_ratio} and compare it with the Basel III minimum plus the capital conservation buffer ({trim(floor)}%).",
                f"With {en_cap} of ${trim(cap)} million against ${trim(rwa)} million of risk-weighted assets, what is {bank}'s {en_ratio}? Is it above the {trim(floor)}% Basel III requirement including the conservation buffer?",
            ]
        )
        verdict = (
            f"above the {trim(floor)}% requirement"
            if ok
            else f"below the {trim(floor)}% requirement, so capital distributions are restricted"
        )
        concl = f"The {en_ratio} is {plain(x)}%, {verdict}."
        return _row(rng, lang, "capital_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))
    bank = rng.choice(BANKS_ZH)
    q = rng.choice(
        [
            f"{bank}{zh_cap}为{trim(cap)}亿元，风险加权资产为{trim(rwa)}亿元。请计算{zh_ratio}，并与巴塞尔III最低要求加储备资本（{trim(floor)}%）比较。",
            f"某银行{zh_cap}{trim(cap)}亿元，风险加权资产{trim(rwa)}亿元，{zh_ratio}是多少？是否达到{trim(floor)}%的监管要求？",
        ]
    )
    verdict = f"高于{trim(floor)}%的要求" if ok else f"低于{trim(floor)}%的要求，利润分配将受限"
    concl = f"{zh_ratio}为{plain(x)}%，{verdict}。"
    return _row(rng, lang, "capital_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))


def leverage_ratio(rng, lang):
    exp = _pick(rng, 2000, 200000, 100)
    target = rng.uniform(2.4, 7.5)
    t1 = round(exp * target / 100, 1)
    x = t1 / exp * 100
    steps = [f"{trim(t1)} ÷ {trim(exp)} × 100 = {plain(x)}"]
    ok = round(x, 2) >= 3
    if lang == "en":
        bank = rng.choice(BANKS_EN)
        q = rng.choice(
            [
                f"{bank} has Tier 1 capital of ${trim(t1)} million and a total leverage exposure of ${trim(exp)} million. What is its Basel III leverage ratio, and does it meet the 3% minimum?",
                f"Calculate the leverage ratio: Tier 1 capital ${trim(t1)} million, exposure measure ${trim(exp)} million (minimum 3%).",
                f"Is {bank} compliant with the 3% Basel III leverage ratio minimum if its Tier 1 capital is ${trim(t1)} million and its total exposure measure is ${trim(exp)} million?",
                f"After a {rng.choice(['bond issue', 'loss', 'share buyback', 'balance-sheet expansion'])}, {bank} reports Tier 1 capital of ${trim(t1)} million against leverage exposure of ${trim(exp)} million. Work out the leverage ratio.",
            ]
        )
        concl = f"The leverage ratio is {plain(x)}%, " + ("above the 3% minimum." if ok else "below the 3% minimum.")
        return _row(rng, lang, "leverage_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))
    bank = rng.choice(BANKS_ZH)
    q = rng.choice(
        [
            f"{bank}一级资本为{trim(t1)}亿元，调整后表内外资产余额为{trim(exp)}亿元。杠杆率是多少？是否满足3%的最低要求？",
            f"请计算杠杆率：一级资本{trim(t1)}亿元，杠杆率风险暴露{trim(exp)}亿元，监管下限3%。",
        ]
    )
    concl = f"杠杆率为{plain(x)}%，" + ("高于3%的最低要求。" if ok else "低于3%的最低要求。")
    return _row(rng, lang, "leverage_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))


def liquidity_ratio(rng, lang):
    kind = rng.choice(["lcr", "nsfr"])
    den = _pick(rng, 300, 50000, 10)
    target = rng.uniform(82, 175) if kind == "lcr" else rng.uniform(90, 140)
    num = round(den * target / 100, 1)
    x = num / den * 100
    steps = [f"{trim(num)} ÷ {trim(den)} × 100 = {plain(x)}"]
    ok = round(x, 2) >= 100
    if lang == "en":
        bank = rng.choice(BANKS_EN)
        if kind == "lcr":
            q = rng.choice(
                [
                    f"{bank} holds ${trim(num)} million of high-quality liquid assets (HQLA) and expects total net cash outflows of ${trim(den)} million over the next 30 days. What is its liquidity coverage ratio?",
                    f"Compute the liquidity coverage ratio (LCR) for a bank with HQLA of ${trim(num)} million and 30-day net cash outflows of ${trim(den)} million. The minimum is 100%.",
                ]
            )
            name = "liquidity coverage ratio"
        else:
            q = rng.choice(
                [
                    f"{bank} has available stable funding of ${trim(num)} million and required stable funding of ${trim(den)} million. What is its net stable funding ratio?",
                    f"Calculate the net stable funding ratio (NSFR): available stable funding ${trim(num)} million, required stable funding ${trim(den)} million. Minimum 100%.",
                ]
            )
            name = "net stable funding ratio"
        concl = f"The {name} is {plain(x)}%, " + ("meeting the 100% minimum." if ok else "below the 100% minimum.")
        return _row(rng, lang, kind, q, _num_answer(lang, concl, steps, plain(x), "%"))
    bank = rng.choice(BANKS_ZH)
    if kind == "lcr":
        q = rng.choice(
            [
                f"{bank}持有合格优质流动性资产{trim(num)}亿元，未来30天现金净流出量为{trim(den)}亿元。流动性覆盖率是多少？",
                f"请计算流动性覆盖率（LCR）：优质流动性资产{trim(num)}亿元，未来30天现金净流出{trim(den)}亿元，监管要求不低于100%。",
            ]
        )
        name = "流动性覆盖率"
    else:
        q = rng.choice(
            [
                f"{bank}可用的稳定资金为{trim(num)}亿元，所需的稳定资金为{trim(den)}亿元。净稳定资金比例是多少？",
                f"请计算净稳定资金比例（NSFR）：可用稳定资金{trim(num)}亿元，所需稳定资金{trim(den)}亿元，最低要求100%。",
            ]
        )
        name = "净稳定资金比例"
    concl = f"{name}为{plain(x)}%，" + ("满足100%的监管要求。" if ok else "低于100%的监管要求。")
    return _row(rng, lang, kind, q, _num_answer(lang, concl, steps, plain(x), "%"))


Z = {95: 1.65, 99: 2.33}


def value_at_risk(rng, lang):
    variant = rng.choice(["scale", "parametric", "parametric_h"])
    if variant == "scale":
        v1 = _pick(rng, 20000, 3000000, 1000)
        h = rng.choice([5, 10, 20])
        x = v1 * math.sqrt(h)
        steps = [f"{trim(v1)} × √{h} = {plain(x)}"]
        if lang == "en":
            desk = rng.choice(["rates desk", "FX desk", "equity desk", "credit trading desk", "commodities desk"])
            q = rng.choice(
                [
                    f"The {desk} has a 1-day 99% VaR of ${money(v1, 0)}. Using the square-root-of-time rule, what is the {h}-day VaR?",
                    f"Scale a 1-day value at risk of ${money(v1, 0)} to a {h}-day horizon with the square-root-of-time rule.",
                ]
            )
            concl = f"The {h}-day VaR is ${money(x)}, assuming independent daily returns."
            return _row(rng, lang, "var_scaling", q, _num_answer(lang, concl, steps, plain(x), " USD"))
        q = rng.choice(
            [
                f"某交易台1天99%置信度的风险价值（VaR）为{money(v1, 0)}元，按时间平方根法则，{h}天VaR是多少？",
                f"请用时间平方根法则把1天VaR {money(v1, 0)}元换算为{h}天VaR。",
            ]
        )
        concl = f"{h}天风险价值为{money(x)}元（假设日收益独立）。"
        return _row(rng, lang, "var_scaling", q, _num_answer(lang, concl, steps, plain(x), "元"))
    pos = _pick(rng, 100000, 20000000, 50000)
    sigma = _pick(rng, 0.5, 3.5, 0.1)
    conf = rng.choice([95, 99])
    z = Z[conf]
    h = 1 if variant == "parametric" else rng.choice([5, 10])
    x = pos * sigma / 100 * z * math.sqrt(h)
    if h == 1:
        steps = [f"{trim(pos)} × {trim(sigma / 100)} × {z} = {plain(x)}"]
    else:
        steps = [f"{trim(pos)} × {trim(sigma / 100)} × {z} × √{h} = {plain(x)}"]
    hz_en = "1-day" if h == 1 else f"{h}-day"
    if lang == "en":
        asset = rng.choice(["equity portfolio", "bond position", "FX position", "commodity book", "ETF holding"])
        q = rng.choice(
            [
                f"A ${money(pos, 0)} {asset} has a daily volatility of {trim(sigma)}%. What is its {hz_en} {conf}% parametric VaR (z = {z})?",
                f"Estimate the {hz_en} value at risk at {conf}% confidence (z = {z}) for a ${money(pos, 0)} {asset} with {trim(sigma)}% daily volatility.",
            ]
        )
        concl = f"The {hz_en} {conf}% VaR is ${money(x)}."
        return _row(rng, lang, "var_parametric", q, _num_answer(lang, concl, steps, plain(x), " USD"))
    asset = rng.choice(["股票组合", "债券头寸", "外汇头寸", "商品头寸", "基金持仓"])
    hz_zh = "1天" if h == 1 else f"{h}天"
    q = rng.choice(
        [
            f"市值{money(pos, 0)}元的{asset}日波动率为{trim(sigma)}%，{conf}%置信度（z = {z}）下{hz_zh}参数法VaR是多少？",
            f"请估算{asset}的{hz_zh}风险价值：市值{money(pos, 0)}元，日波动率{trim(sigma)}%，置信水平{conf}%（z = {z}）。",
        ]
    )
    concl = f"{hz_zh}{conf}%置信度的风险价值为{money(x)}元。"
    return _row(rng, lang, "var_parametric", q, _num_answer(lang, concl, steps, plain(x), "元"))


FX = [
    # pair, base, quote, lo, hi, en names
    ("EUR/USD", "EUR", "USD", 1.0200, 1.1500),
    ("GBP/USD", "GBP", "USD", 1.1900, 1.3400),
    ("USD/CNY", "USD", "CNY", 6.9000, 7.3000),
    ("USD/JPY", "USD", "JPY", 138.00, 158.00),
    ("EUR/CNY", "EUR", "CNY", 7.4000, 8.0000),
]
SYM = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥"}
ZH_CCY = {"USD": "美元", "EUR": "欧元", "GBP": "英镑", "CNY": "人民币", "JPY": "日元"}


def fx_conversion(rng, lang):
    pair, base, quote, lo, hi = rng.choice(FX)
    dec = 2 if quote == "JPY" else 4
    rate = round(rng.uniform(lo, hi), dec)
    amt = _pick(rng, 500, 2000000 if quote != "JPY" else 400000, 50)
    reverse = rng.random() < 0.35  # convert quote -> base
    if reverse:
        src, dst = quote, base
        if quote == "JPY":
            amt = _pick(rng, 50000, 90000000, 1000)
        x = amt / rate
        steps = [f"{trim(amt)} ÷ {rate:.{dec}f} = {plain(x)}"]
    else:
        src, dst = base, quote
        x = amt * rate
        steps = [f"{trim(amt)} × {rate:.{dec}f} = {plain(x)}"]
    if lang == "en":
        q = rng.choice(
            [
                f"Convert {money(amt, 0)} {src} to {dst} at {pair} {rate:.{dec}f}.",
                f"A client wires {SYM[src]}{money(amt, 0)}. At an {pair} rate of {rate:.{dec}f}, how much is that in {dst}?",
            ]
        )
        concl = f"{money(amt, 0)} {src} equals {money(x)} {dst} at {rate:.{dec}f}."
        return _row(rng, lang, "fx_conversion", q, _num_answer(lang, concl, steps, plain(x), f" {dst}"))
    q = rng.choice(
        [
            f"按{pair}汇率{rate:.{dec}f}，{money(amt, 0)}{ZH_CCY[src]}可兑换多少{ZH_CCY[dst]}？",
            f"客户汇出{money(amt, 0)}{ZH_CCY[src]}，{pair}报价为{rate:.{dec}f}，折合多少{ZH_CCY[dst]}？",
        ]
    )
    unit = "元" if dst == "CNY" else ZH_CCY[dst]
    concl = f"按{rate:.{dec}f}的汇率，{money(amt, 0)}{ZH_CCY[src]}折合{money(x)}{unit}。"
    return _row(rng, lang, "fx_conversion", q, _num_answer(lang, concl, steps, plain(x), unit))


MONTHLY_RATES = [3.0, 3.6, 4.2, 4.8, 5.4, 6.0, 6.6, 7.2, 7.8, 8.4]


def monthly_payment(rng, lang):
    p = _pick(rng, 20000, 900000, 5000)
    r = rng.choice(MONTHLY_RATES)
    years = rng.choice([3, 5, 10, 15, 20, 25, 30])
    n = years * 12
    rm = round(r / 100 / 12, 6)
    m = p * rm / (1 - (1 + rm) ** (-n))
    steps = [
        f"{trim(r / 100)} ÷ 12 = {trim(rm)}",
        f"{trim(p)} × {trim(rm)} ÷ (1 - (1 + {trim(rm)})^(-{n})) = {plain(m)}",
    ]
    if lang == "en":
        what = rng.choice(["mortgage", "car loan", "equipment loan", "personal loan"])
        q = rng.choice(
            [
                f"What is the monthly payment on a ${money(p, 0)} {what} at {trim(r)}% a year over {years} years with level monthly payments?",
                f"Calculate the fixed monthly installment for a {years}-year {what} of ${money(p, 0)} at an annual rate of {trim(r)}%.",
            ]
        )
        concl = f"The level monthly payment is ${money(m)} for {n} months."
        return _row(rng, lang, "monthly_payment", q, _num_answer(lang, concl, steps, plain(m), " USD"))
    what = rng.choice(["住房贷款", "汽车贷款", "经营贷款", "个人消费贷款"])
    q = rng.choice(
        [
            f"{what}{money(p, 0)}元，年利率{trim(r)}%，期限{years}年，等额本息按月还款，每月还款额是多少？",
            f"请计算等额本息月供：贷款本金{money(p, 0)}元，年利率{trim(r)}%，贷款期限{years}年。",
        ]
    )
    concl = f"等额本息每月还款{money(m)}元，共{n}期。"
    return _row(rng, lang, "monthly_payment", q, _num_answer(lang, concl, steps, plain(m), "元"))


def structuring(rng, lang):
    k = rng.choice([3, 3, 4])
    if lang == "en":
        amounts = [_pick(rng, 8600, 9950, 50) for _ in range(k)]
        total = sum(amounts)
        steps = [" + ".join(trim(a) for a in amounts) + f" = {plain(total)}"]
        listed = ", ".join(f"${money(a, 0)}" for a in amounts[:-1]) + f" and ${money(amounts[-1], 0)}"
        q = rng.choice(
            [
                f"A customer made cash deposits of {listed} on {k} consecutive days at different branches. What is the total, and is this an AML concern given the $10,000 currency transaction report threshold?",
                f"Over {k} days a retail customer deposited {listed} in cash. Add up the deposits and assess them against the $10,000 CTR threshold.",
                f"Branch staff flagged cash deposits of {listed} into one {rng.choice(['personal', 'small-business', 'student', 'joint'])} account within a week, made through {rng.choice(['several ATMs', 'three branches', 'the night deposit box'])}. What is the total and how should it be treated under the $10,000 reporting rule?",
            ]
        )
        concl = f"The deposits total ${money(total)}; each is just under $10,000, a structuring red flag to escalate to the AML team."
        return _row(rng, lang, "structuring", q, _num_answer(lang, concl, steps, plain(total), " USD"))
    amounts = [_pick(rng, 43000, 49900, 100) for _ in range(k)]
    total = sum(amounts)
    steps = [" + ".join(trim(a) for a in amounts) + f" = {plain(total)}"]
    listed = "、".join(f"{money(a, 0)}元" for a in amounts[:-1]) + f"和{money(amounts[-1], 0)}元"
    q = rng.choice(
        [
            f"客户连续{k}天在不同网点分别存入现金{listed}。合计多少？结合5万元的大额现金交易报告标准，是否存在反洗钱风险？",
            f"某个人客户{k}天内分别存入现金{listed}，请计算合计金额并对照5万元大额交易报告标准进行判断。",
        ]
    )
    concl = f"现金存款合计{money(total)}元，单笔均略低于5万元报告标准，符合拆分交易特征，应上报反洗钱岗位。"
    return _row(rng, lang, "structuring", q, _num_answer(lang, concl, steps, plain(total), "元"))


def debt_to_income(rng, lang):
    inc = _pick(rng, 3000, 25000, 50)
    target = rng.uniform(18, 58)
    total_debt = inc * target / 100
    debt = round(total_debt * rng.uniform(0.2, 0.5) / 10) * 10
    pay = max(10, round((total_debt - debt) / 10) * 10)
    x = (debt + pay) / inc * 100
    steps = [f"({trim(debt)} + {trim(pay)}) ÷ {trim(inc)} × 100 = {plain(x)}"]
    if lang == "en":
        ok = round(x, 2) <= 43
        q = rng.choice(
            [
                f"An applicant earns ${money(inc, 0)} gross per month, pays ${money(debt, 0)} a month on existing debts and would add a ${money(pay, 0)} mortgage payment. What is the debt-to-income ratio, and does it meet a 43% limit?",
                f"Calculate the back-end debt-to-income ratio: gross monthly income ${money(inc, 0)}, current debt payments ${money(debt, 0)}, proposed housing payment ${money(pay, 0)}. Our cap is 43%.",
            ]
        )
        concl = f"The debt-to-income ratio is {plain(x)}%, " + (
            "within the 43% limit." if ok else "above the 43% limit."
        )
        return _row(rng, lang, "debt_to_income", q, _num_answer(lang, concl, steps, plain(x), "%"))
    ok = round(x, 2) <= 50
    q = rng.choice(
        [
            f"借款人月收入{money(inc, 0)}元，现有月供{money(debt, 0)}元，新增房贷月供{money(pay, 0)}元。请计算债务收入比，并判断是否超过50%的上限。",
            f"请计算债务收入比：税前月收入{money(inc, 0)}元，已有负债月还款{money(debt, 0)}元，拟新增月供{money(pay, 0)}元，上限50%。",
        ]
    )
    concl = f"债务收入比为{plain(x)}%，" + ("未超过50%的上限。" if ok else "超过50%的上限。")
    return _row(rng, lang, "debt_to_income", q, _num_answer(lang, concl, steps, plain(x), "%"))


def asset_quality(rng, lang):
    kind = rng.choice(["npl", "coverage"])
    if kind == "npl":
        gross = _pick(rng, 2000, 90000, 10)
        npl = round(gross * rng.uniform(0.6, 4.2) / 100, 1)
        x = npl / gross * 100
        steps = [f"{trim(npl)} ÷ {trim(gross)} × 100 = {plain(x)}"]
        if lang == "en":
            bank = rng.choice(BANKS_EN)
            q = rng.choice(
                [
                    f"{bank} has non-performing loans of ${trim(npl)} million out of gross loans of ${trim(gross)} million. What is its NPL ratio?",
                    f"Gross loans are ${trim(gross)} million and non-performing loans ${trim(npl)} million. Calculate the non-performing loan ratio.",
                    f"In its {rng.choice(['annual report', 'quarterly filing', 'Pillar 3 disclosure'])}, {bank} shows ${trim(npl)} million of loans more than 90 days past due on a ${trim(gross)} million loan book. What NPL ratio does that give?",
                ]
            )
            concl = f"The NPL ratio is {plain(x)}%."
            return _row(rng, lang, "npl_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))
        bank = rng.choice(BANKS_ZH)
        q = rng.choice(
            [
                f"{bank}不良贷款余额{trim(npl)}亿元，各项贷款余额{trim(gross)}亿元，不良贷款率是多少？",
                f"请计算不良贷款率：贷款总额{trim(gross)}亿元，其中不良贷款{trim(npl)}亿元。",
            ]
        )
        concl = f"不良贷款率为{plain(x)}%。"
        return _row(rng, lang, "npl_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))
    npl = _pick(rng, 20, 3000, 0.5)
    prov = round(npl * rng.uniform(0.9, 3.2), 1)
    x = prov / npl * 100
    steps = [f"{trim(prov)} ÷ {trim(npl)} × 100 = {plain(x)}"]
    ok = round(x, 2) >= 150
    if lang == "en":
        bank = rng.choice(BANKS_EN)
        q = rng.choice(
            [
                f"{bank} holds loan-loss provisions of ${trim(prov)} million against non-performing loans of ${trim(npl)} million. What is the provision coverage ratio, and does it meet an internal floor of 150%?",
                f"Calculate the provision coverage ratio: loan-loss reserves ${trim(prov)} million, NPLs ${trim(npl)} million (internal minimum 150%).",
                f"Our {rng.choice(['credit committee', 'risk appetite statement', 'board policy'])} requires provisions of at least 150% of non-performing loans. With ${trim(prov)} million of provisions and ${trim(npl)} million of NPLs, what is the provision coverage ratio?",
            ]
        )
        concl = f"The provision coverage ratio is {plain(x)}%, " + (
            "above the 150% floor." if ok else "below the 150% floor."
        )
        return _row(rng, lang, "coverage_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))
    bank = rng.choice(BANKS_ZH)
    q = rng.choice(
        [
            f"{bank}贷款损失准备余额{trim(prov)}亿元，不良贷款余额{trim(npl)}亿元，拨备覆盖率是多少？是否达到150%的内部要求？",
            f"请计算拨备覆盖率：贷款损失准备{trim(prov)}亿元，不良贷款{trim(npl)}亿元，内部下限150%。",
        ]
    )
    concl = f"拨备覆盖率为{plain(x)}%，" + ("高于150%的内部要求。" if ok else "低于150%的内部要求。")
    return _row(rng, lang, "coverage_ratio", q, _num_answer(lang, concl, steps, plain(x), "%"))


def expected_loss(rng, lang):
    ead = _pick(rng, 50000, 8000000, 10000)
    pd = _pick(rng, 0.2, 12, 0.1)
    lgd = rng.choice([20, 25, 30, 35, 40, 45, 50, 55, 60, 75])
    x = pd / 100 * lgd / 100 * ead
    steps = [f"{trim(pd / 100)} × {trim(lgd / 100)} × {trim(ead)} = {plain(x)}"]
    if lang == "en":
        firm = rng.choice(FIRMS_EN)
        q = rng.choice(
            [
                f"A loan to {firm} has exposure at default of ${money(ead, 0)}, a probability of default of {trim(pd)}% and a loss given default of {lgd}%. What is the expected loss?",
                f"Compute the expected loss (EL = PD × LGD × EAD) for PD {trim(pd)}%, LGD {lgd}% and EAD ${money(ead, 0)}.",
            ]
        )
        concl = f"The expected loss is ${money(x)}."
        return _row(rng, lang, "expected_loss", q, _num_answer(lang, concl, steps, plain(x), " USD"))
    firm = rng.choice(FIRMS_ZH)
    q = rng.choice(
        [
            f"对{firm}的贷款违约风险暴露（EAD）为{money(ead, 0)}元，违约概率（PD）{trim(pd)}%，违约损失率（LGD）{lgd}%，预期损失是多少？",
            f"请按EL = PD × LGD × EAD计算预期损失：PD为{trim(pd)}%，LGD为{lgd}%，EAD为{money(ead, 0)}元。",
        ]
    )
    concl = f"预期损失为{money(x)}元。"
    return _row(rng, lang, "expected_loss", q, _num_answer(lang, concl, steps, plain(x), "元"))


NUMERIC = [
    (3, simple_interest),
    (3, compound_interest),
    (3, percent_change),
    (3, loan_to_value),
    (3, dscr),
    (4, capital_ratio),
    (2, leverage_ratio),
    (3, liquidity_ratio),
    (3, value_at_risk),
    (3, fx_conversion),
    (3, monthly_payment),
    (2, structuring),
    (2, debt_to_income),
    (3, asset_quality),
    (2, expected_loss),
]


# --------------------------------------------------------------------------
# Qualitative Q&A (hand-written; used once each per language)

CONCEPTS = [
    {
        "en": (
            "What are the Basel III minimum capital requirements for CET1, Tier 1 and total capital?",
            "Basel III requires at least 4.5% CET1, 6% Tier 1 and 8% total capital, measured against risk-weighted assets.",
            [
                "The capital conservation buffer adds 2.5% of CET1, so the effective levels are 7%, 8.5% and 10.5%.",
                "A countercyclical buffer of 0-2.5% and G-SIB surcharges can apply on top.",
            ],
            "4.5% / 6% / 8%",
        ),
        "zh": (
            "巴塞尔III对核心一级资本、一级资本和总资本的最低要求分别是多少？",
            "巴塞尔III要求核心一级资本充足率不低于4.5%，一级资本充足率不低于6%，资本充足率不低于8%。",
            [
                "另需计提2.5%的储备资本（留存超额资本），实际要求分别为7%、8.5%和10.5%。",
                "逆周期资本（0-2.5%）和系统重要性银行附加资本在此基础上另行计提。",
            ],
            "4.5% / 6% / 8%",
        ),
    },
    {
        "en": (
            "What is the minimum leverage ratio under Basel III, and why does it exist?",
            "The Basel III leverage ratio must be at least 3% of Tier 1 capital over total exposure.",
            [
                "It is a non-risk-based backstop that limits balance-sheet growth regardless of risk weights.",
                "The exposure measure includes on-balance-sheet assets, derivatives, securities financing and off-balance-sheet items.",
            ],
            "3%",
        ),
        "zh": (
            "巴塞尔III的杠杆率最低要求是多少？设置杠杆率的目的是什么？",
            "杠杆率（一级资本除以调整后表内外资产余额）不得低于3%。",
            [
                "杠杆率不依赖风险权重，是资本充足率的补充约束，防止资产负债表过度扩张。",
                "风险暴露包括表内资产、衍生品、证券融资交易和表外项目。",
            ],
            "3%",
        ),
    },
    {
        "en": (
            "What does the liquidity coverage ratio measure?",
            "The LCR checks that a bank holds enough high-quality liquid assets to survive 30 days of stressed net cash outflows.",
            ["LCR = HQLA ÷ total net cash outflows over the next 30 calendar days.", "The regulatory minimum is 100%."],
            "HQLA ÷ 30-day net outflows ≥ 100%",
        ),
        "zh": (
            "流动性覆盖率衡量的是什么？",
            "流动性覆盖率衡量银行持有的合格优质流动性资产能否覆盖压力情景下未来30天的现金净流出。",
            ["流动性覆盖率 = 合格优质流动性资产 ÷ 未来30天现金净流出量。", "监管最低要求为100%。"],
            "不低于100%",
        ),
    },
    {
        "en": (
            "What is the net stable funding ratio?",
            "The NSFR requires available stable funding to cover required stable funding over a one-year horizon.",
            [
                "NSFR = available stable funding ÷ required stable funding.",
                "It must be at least 100% and limits reliance on short-term wholesale funding.",
            ],
            "At least 100%",
        ),
        "zh": (
            "什么是净稳定资金比例？",
            "净稳定资金比例要求银行在一年期限内的可用稳定资金足以覆盖所需稳定资金。",
            [
                "净稳定资金比例 = 可用的稳定资金 ÷ 所需的稳定资金。",
                "最低要求为100%，用于限制银行对短期批发融资的依赖。",
            ],
            "不低于100%",
        ),
    },
    {
        "en": (
            "What are the core components of a KYC programme?",
            "KYC rests on identifying the customer, verifying that identity, understanding the relationship and monitoring it over time.",
            [
                "Customer identification programme (CIP): collect name, date of birth, address and an ID number.",
                "Customer due diligence (CDD): understand the purpose of the account and identify beneficial owners.",
                "Ongoing monitoring: review transactions and refresh KYC data based on risk.",
            ],
            "Identify, verify, understand, monitor",
        ),
        "zh": (
            "客户身份识别（KYC）包括哪些核心环节？",
            "KYC的核心是识别客户、核实身份、了解业务关系并持续监测。",
            [
                "客户身份识别：登记姓名、证件号码、住址、职业等基本信息并核验有效身份证件。",
                "客户尽职调查：了解开户目的和资金来源，识别受益所有人。",
                "持续识别：按风险等级定期更新客户资料并监测交易。",
            ],
            "识别、核实、了解、监测",
        ),
    },
    {
        "en": (
            "When is enhanced due diligence required?",
            "Enhanced due diligence is required whenever a customer or relationship is assessed as higher risk.",
            [
                "Typical triggers: politically exposed persons, high-risk jurisdictions, complex or opaque ownership, correspondent banking and unusual transaction patterns.",
                "EDD means senior management approval, source-of-wealth and source-of-funds checks, and more frequent reviews.",
            ],
            "Apply EDD to higher-risk customers",
        ),
        "zh": (
            "什么情况下需要进行强化尽职调查？",
            "客户或业务关系被评估为高风险时，必须开展强化尽职调查。",
            [
                "常见情形：政治公众人物、高风险国家或地区、股权结构复杂、跨境代理行业务以及异常交易。",
                "强化措施包括高级管理层审批、核实财富来源和资金来源、提高回访和复核频率。",
            ],
            "对高风险客户实施强化尽职调查",
        ),
    },
    {
        "en": (
            "Who counts as a beneficial owner of a corporate customer?",
            "A beneficial owner is a natural person who ultimately owns or controls the customer.",
            [
                "Under common rules this means anyone holding 25% or more of the shares or voting rights.",
                "If no one meets the ownership test, identify the individual with significant control, such as a senior managing officer.",
            ],
            "25% ownership or effective control",
        ),
        "zh": (
            "如何认定法人客户的受益所有人？",
            "受益所有人是最终拥有或实际控制法人客户的自然人。",
            [
                "通常指直接或间接持有25%（含）以上股权或表决权的自然人。",
                "无人达到持股标准时，应识别通过其他方式实际控制的人或高级管理人员。",
            ],
            "持股25%以上或实际控制人",
        ),
    },
    {
        "en": (
            "What is a suspicious activity report, and how quickly must it be filed in the US?",
            "A suspicious activity report (SAR) tells FinCEN about transactions that may involve money laundering or other crime.",
            [
                "File within 30 calendar days of initially detecting facts that may justify a SAR.",
                "If no suspect is identified, the deadline can extend to 60 days; never tell the customer that a SAR was filed.",
            ],
            "Within 30 calendar days",
        ),
        "zh": (
            "什么是可疑交易报告？",
            "可疑交易报告是金融机构发现交易可能涉及洗钱、恐怖融资等犯罪时向中国反洗钱监测分析中心提交的报告。",
            [
                "可疑交易报告不设金额起点，只要有合理理由怀疑即应报告。",
                "应在完成内部分析、认定可疑后及时提交，且不得向客户泄露报告情况。",
            ],
            "合理怀疑即报告，不设金额起点",
        ),
    },
    {
        "en": (
            "When does a US bank have to file a currency transaction report?",
            "A currency transaction report (CTR) is required for cash transactions above $10,000 by or for one person in one business day.",
            [
                "Multiple cash transactions on the same day are aggregated.",
                "The CTR is filed within 15 calendar days of the transaction.",
            ],
            "Cash over $10,000 in one business day",
        ),
        "zh": (
            "大额交易报告的现金标准是多少？",
            "自然人或机构当日单笔或累计人民币5万元以上（含）的现金交易需提交大额交易报告。",
            ["同一客户当日多笔现金交易需累计计算。", "外币现金交易的标准为等值1万美元以上。"],
            "5万元",
        ),
    },
    {
        "en": (
            "What is structuring, and why is it an AML red flag?",
            "Structuring is splitting cash transactions into amounts below the reporting threshold to avoid a currency transaction report.",
            [
                "Repeated deposits just under $10,000, often across branches or days, are the classic pattern.",
                "Structuring is itself an offence even when the funds are legitimate, so it must be escalated.",
            ],
            "Red flag – escalate",
        ),
        "zh": (
            "什么是拆分交易？为什么属于反洗钱风险信号？",
            "拆分交易是把大额资金拆成多笔低于报告标准的小额交易，以逃避大额交易报告。",
            [
                "典型表现是多日、多网点、多笔略低于5万元的现金存取。",
                "拆分交易本身就是可疑特征，应当上报反洗钱岗位进行分析。",
            ],
            "可疑，需上报",
        ),
    },
    {
        "en": (
            "What are the three stages of money laundering?",
            "Money laundering moves through placement, layering and integration.",
            [
                "Placement: illicit cash enters the financial system.",
                "Layering: funds move through transfers and entities to hide their origin.",
                "Integration: the funds re-enter the economy as apparently legitimate wealth.",
            ],
            "Placement, layering, integration",
        ),
        "zh": (
            "洗钱通常分为哪三个阶段？",
            "洗钱通常分为处置、离析和融合三个阶段。",
            [
                "处置：把非法现金存入金融体系。",
                "离析：通过多层转账和交易掩盖资金来源。",
                "融合：让资金以合法财富的面貌重新进入经济。",
            ],
            "处置、离析、融合",
        ),
    },
    {
        "en": (
            "Who is a politically exposed person, and how should a bank treat one?",
            "A politically exposed person (PEP) holds or held a prominent public function, and PEP relationships need enhanced due diligence.",
            [
                "The definition covers family members and close associates.",
                "Onboarding needs senior management approval and source-of-wealth checks, followed by enhanced ongoing monitoring.",
            ],
            "Apply enhanced due diligence",
        ),
        "zh": (
            "什么是政治公众人物？银行应如何对待？",
            "政治公众人物是现任或曾任重要公共职务的人员，与其建立业务关系须采取强化尽职调查。",
            ["范围包括其家庭成员和关系密切人员。", "建立关系前须经高级管理层批准，核实财富来源，并加强持续监测。"],
            "实施强化尽职调查",
        ),
    },
    {
        "en": (
            "What does a 1-day 99% VaR of $2 million mean?",
            "On 99 out of 100 trading days the portfolio should not lose more than $2 million in a day.",
            [
                "Losses above $2 million are expected on roughly 1 day in 100.",
                "VaR says nothing about how large the loss is on those worst days.",
            ],
            "Daily loss above $2 million on about 1 day in 100",
        ),
        "zh": (
            "1天99%置信度的VaR为200万元是什么意思？",
            "在正常市场条件下，组合单日损失超过200万元的概率不超过1%。",
            ["大约每100个交易日中会有1天损失超过200万元。", "VaR不反映超过该阈值时损失可能有多大。"],
            "99%置信度下单日损失不超过200万元",
        ),
    },
    {
        "en": (
            "What are the main limitations of value at risk?",
            "VaR ignores the size of losses beyond the confidence level and relies on historical or distributional assumptions.",
            [
                "It is not sub-additive, so it can penalise diversification.",
                "The Basel FRTB replaced 99% VaR with 97.5% expected shortfall for market-risk capital.",
            ],
            "Use expected shortfall and stress tests alongside VaR",
        ),
        "zh": (
            "风险价值（VaR）有哪些主要局限？",
            "VaR不能反映置信水平之外的尾部损失规模，且依赖历史数据或分布假设。",
            [
                "VaR不满足次可加性，可能低估分散化效果。",
                "巴塞尔市场风险新框架（FRTB）以97.5%的预期尾部损失替代99% VaR计算资本。",
            ],
            "配合预期尾部损失和压力测试使用",
        ),
    },
    {
        "en": (
            "How does the Basel traffic-light test classify VaR backtesting exceptions?",
            "Over 250 trading days, 0-4 exceptions are green, 5-9 are yellow and 10 or more are red.",
            [
                "Yellow-zone results raise the capital multiplier from 3 towards 4.",
                "A red zone means the model is presumed inaccurate and must be reviewed.",
            ],
            "Green 0-4, yellow 5-9, red 10+",
        ),
        "zh": (
            "巴塞尔“红绿灯”回溯检验如何划分VaR突破次数？",
            "按250个交易日计，突破0-4次为绿区，5-9次为黄区，10次及以上为红区。",
            ["黄区会把资本乘数从3逐步提高到接近4。", "红区意味着模型被认定不准确，必须整改。"],
            "绿区0-4次，黄区5-9次，红区10次以上",
        ),
    },
    {
        "en": (
            "What debt-service coverage ratio do commercial lenders usually require?",
            "Most commercial real-estate lenders require a debt-service coverage ratio of at least 1.20x-1.25x.",
            [
                "DSCR = net operating income ÷ annual debt service.",
                "Below 1.0x the property does not generate enough cash to pay its debt.",
            ],
            "1.25x",
        ),
        "zh": (
            "商业贷款通常要求多高的偿债覆盖率？",
            "多数商业地产贷款要求偿债覆盖率不低于1.2-1.25倍。",
            ["偿债覆盖率 = 净营业收入 ÷ 年还本付息额。", "低于1倍说明经营现金流不足以偿还债务。"],
            "1.25倍",
        ),
    },
    {
        "en": (
            "Why does the loan-to-value ratio matter in mortgage underwriting?",
            "The loan-to-value ratio measures how much equity cushion protects the lender if the borrower defaults.",
            [
                "LTV = loan amount ÷ appraised property value.",
                "Higher LTV loans carry higher risk weights, need mortgage insurance above 80% and attract stricter pricing.",
            ],
            "Lower LTV means lower credit risk",
        ),
        "zh": (
            "贷款价值比为什么是房贷审批的重要指标？",
            "贷款价值比反映借款人违约时抵押物能为银行提供多少安全垫。",
            ["贷款价值比 = 贷款金额 ÷ 抵押物评估价值。", "贷款价值比越高，风险权重越高，首付比例和利率要求也越严格。"],
            "贷款价值比越低，信用风险越低",
        ),
    },
    {
        "en": (
            "What is the difference between PD, LGD and EAD?",
            "PD, LGD and EAD are the three inputs of expected credit loss.",
            [
                "PD: probability that the borrower defaults within one year.",
                "LGD: share of the exposure lost if default happens.",
                "EAD: the amount owed at the time of default; EL = PD × LGD × EAD.",
            ],
            "EL = PD × LGD × EAD",
        ),
        "zh": (
            "违约概率、违约损失率和违约风险暴露有什么区别？",
            "三者是计算预期信用损失的基本参数。",
            [
                "违约概率（PD）：借款人一年内发生违约的可能性。",
                "违约损失率（LGD）：违约时损失占风险暴露的比例。",
                "违约风险暴露（EAD）：违约时的风险敞口金额；预期损失 = PD × LGD × EAD。",
            ],
            "预期损失 = PD × LGD × EAD",
        ),
    },
    {
        "en": (
            "What are risk-weighted assets?",
            "Risk-weighted assets (RWA) scale each exposure by a risk weight so that riskier assets need more capital.",
            [
                "Cash and most OECD sovereign bonds can carry a 0% weight; residential mortgages often 35%; unrated corporate loans 100%.",
                "Capital ratios divide regulatory capital by total RWA.",
            ],
            "Exposure × risk weight",
        ),
        "zh": (
            "什么是风险加权资产？",
            "风险加权资产是把各项资产按风险权重折算后的金额，风险越高，需要的资本越多。",
            [
                "现金和多数主权债券权重可为0%，个人住房贷款多为50%以下，一般企业贷款为100%。",
                "资本充足率 = 资本 ÷ 风险加权资产。",
            ],
            "风险暴露 × 风险权重",
        ),
    },
    {
        "en": (
            "What does sanctions screening involve?",
            "Sanctions screening checks customers, counterparties and payments against official sanctions lists before the bank acts.",
            [
                "Lists include the OFAC SDN list, the UN consolidated list and the EU and UK lists.",
                "Potential matches are held and reviewed; true matches are blocked or rejected and reported.",
            ],
            "Screen, hold, review, block or release",
        ),
        "zh": (
            "制裁名单筛查包括哪些工作？",
            "制裁名单筛查是在办理业务前，将客户、交易对手和支付信息与官方制裁名单比对。",
            [
                "名单包括联合国安理会制裁名单、OFAC特别指定国民名单等。",
                "疑似命中需暂停处理并人工复核，确认命中的应冻结或拒绝并报告。",
            ],
            "筛查、拦截、复核、处置",
        ),
    },
    {
        "en": (
            "What is tipping off in AML?",
            "Tipping off is telling a customer or third party that a suspicious activity report has been filed or an investigation is under way.",
            [
                "It is prohibited and can be a criminal offence.",
                "Staff should handle the customer normally and route questions to the compliance team.",
            ],
            "Never disclose a SAR",
        ),
        "zh": (
            "反洗钱中的“泄密”是指什么？",
            "泄密是指向客户或第三方透露已提交可疑交易报告或正在开展调查的情况。",
            ["反洗钱法规明确禁止泄密，违者须承担法律责任。", "员工应正常办理业务，把客户的询问转交合规部门处理。"],
            "不得泄露可疑交易报告",
        ),
    },
    {
        "en": (
            "How long must a bank keep KYC and transaction records?",
            "Banks generally keep customer identification and transaction records for at least five years.",
            [
                "US BSA rules: five years after the account is closed for CIP records and five years for transaction records.",
                "Longer periods apply when an investigation or litigation is pending.",
            ],
            "At least 5 years",
        ),
        "zh": (
            "客户身份资料和交易记录需要保存多久？",
            "客户身份资料和交易记录一般至少保存5年。",
            [
                "客户身份资料自业务关系结束后至少保存5年，交易记录自交易结束后至少保存5年。",
                "涉及正在调查的案件时，应保存至调查结束。",
            ],
            "至少5年",
        ),
    },
    {
        "en": (
            "What is the countercyclical capital buffer?",
            "The countercyclical capital buffer is an extra CET1 requirement of 0-2.5% that regulators switch on when credit grows too fast.",
            [
                "It is built up in good times and released in downturns so banks can keep lending.",
                "It sits on top of the 2.5% capital conservation buffer.",
            ],
            "0-2.5% of RWA",
        ),
        "zh": (
            "什么是逆周期资本缓冲？",
            "逆周期资本缓冲是监管在信贷过快增长时要求计提的额外核心一级资本，比例为0-2.5%。",
            ["经济上行时计提，下行时释放，以便银行持续放贷。", "它在2.5%的储备资本之上额外计提。"],
            "风险加权资产的0-2.5%",
        ),
    },
]

# AML scenario triage (parameterised).  verdict True = red flag.
SCENARIOS = [
    {
        "flag": True,
        "en": (
            "A newly opened account for {firm} receives incoming wires of about ${amt} from {country} and sends almost all of it to unrelated third parties within 24 hours. Is this an AML red flag?",
            "Yes — funds passing straight through a new account are a layering red flag.",
            [
                "Rapid in-and-out movement leaves no balance and has no evident business purpose.",
                "The counterparties are unrelated to the customer's stated activity.",
            ],
        ),
        "zh": (
            "{firm}新开立的账户收到来自{country_zh}约{amt_zh}万元的汇款后，24小时内几乎全部转给多个无关联第三方。是否存在反洗钱风险？",
            "是，资金快进快出、过渡性质明显，属于离析阶段的可疑特征。",
            ["账户不留余额，交易缺乏合理商业目的。", "收付款方与客户申报的经营范围无关。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "Several unrelated people deposit cash into {firm}'s business account at different branches, each time a little under $10,000. Should this be escalated?",
            "Yes — third-party cash deposits just below the reporting threshold point to structuring.",
            [
                "Depositors have no visible link to the account holder.",
                "Amounts cluster just under $10,000 across branches.",
            ],
        ),
        "zh": (
            "多名与{firm}无关的人员在不同网点向其对公账户存入现金，每笔都略低于5万元。是否需要上报？",
            "需要，多名第三方分散存入略低于报告标准的现金，具有拆分交易特征。",
            ["存款人与账户所有人没有可见关联。", "金额集中在5万元以下，且分散在多个网点。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "{firm}, a small local bakery, has started receiving international wires of ${amt} every month from {country}. Its expected turnover at onboarding was $15,000 a month. Is this suspicious?",
            "Yes — activity far above the customer's profile with no business explanation is a red flag.",
            [
                "International inflows do not fit a local retail bakery.",
                "Volumes greatly exceed the turnover declared at onboarding.",
            ],
        ),
        "zh": (
            "{firm}是一家本地小型面包店，开户时预计月流水约10万元，近期每月收到来自{country_zh}约{amt_zh}万元的跨境汇款。是否可疑？",
            "可疑，交易规模和性质明显超出客户身份与经营范围。",
            ["本地零售面包店不应有频繁的大额跨境收款。", "实际流水远高于开户时申报的规模。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "A prospective corporate client refuses to name its beneficial owners and offers only a nominee director based in {country}. How should onboarding proceed?",
            "Stop onboarding — refusing to disclose beneficial owners is a red flag and blocks customer due diligence.",
            [
                "Beneficial ownership must be identified and verified before the account opens.",
                "Nominee arrangements in secrecy jurisdictions raise the risk further.",
            ],
        ),
        "zh": (
            "一家拟开户企业拒绝说明受益所有人，只提供一名注册在{country_zh}的代持董事。应如何处理？",
            "应暂停开户：拒绝披露受益所有人是可疑信号，无法完成客户尽职调查。",
            ["开户前必须识别并核实受益所有人。", "代持安排叠加高风险地区，风险进一步上升。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "{firm} imports goods at invoice prices roughly three times the market price and pays through a third country. What is the AML concern?",
            "Over-invoicing is a trade-based money laundering red flag and should be escalated.",
            [
                "Inflated prices move extra value across borders under cover of trade.",
                "Payment routed through an unrelated third country adds opacity.",
            ],
        ),
        "zh": (
            "{firm}进口货物的发票价格约为市场价的三倍，并通过第三国付款。存在什么反洗钱风险？",
            "高报发票价格是贸易洗钱的典型可疑特征，应上报。",
            ["虚高的价格可以借贸易之名转移额外资金。", "经无关第三国付款增加了资金链路的不透明度。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "A borrower repays a ${amt} business loan five years early with cash from an unexplained source. Is that a concern?",
            "Yes — early repayment with unexplained cash is a red flag for placing illicit funds.",
            ["The source of funds is not documented.", "Large cash repayments are unusual for a business loan."],
        ),
        "zh": (
            "借款人用来源不明的现金提前五年一次性归还了{amt_zh}万元的经营贷款。是否需要关注？",
            "需要，用来源不明的现金大额提前还款是可疑信号。",
            ["资金来源无法说明。", "经营贷款以大额现金还款本身就不常见。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "Payments of exactly ${amt} are sent every week from {firm}'s account to a trading company in {country} that has no website and was registered last month. Red flag or not?",
            "Red flag — regular round-sum payments to a newly formed shell-like company need investigation.",
            [
                "The counterparty shows no real operations.",
                "Round amounts at fixed intervals suggest layering rather than trade.",
            ],
        ),
        "zh": (
            "{firm}每周向一家注册于{country_zh}、上个月才成立且没有经营痕迹的贸易公司支付整数金额{amt_zh}万元。是否可疑？",
            "可疑，定期向疑似空壳公司支付整数款项需要调查。",
            ["交易对手缺乏真实经营迹象。", "固定周期的整数付款更像资金离析而非贸易结算。"],
        ),
    },
    {
        "flag": False,
        "en": (
            "A salaried customer receives a monthly salary from the same employer and pays rent, utilities and card bills from the account, in line with the income declared at onboarding. Any AML concern?",
            "No — the activity matches the customer's profile and declared income.",
            ["Inflows come from a single identifiable employer.", "Outflows are ordinary household expenses."],
        ),
        "zh": (
            "某工薪客户每月从同一单位领取工资，并用该账户支付房租、水电和信用卡账单，与开户时申报的收入一致。是否存在反洗钱风险？",
            "不存在明显风险，交易与客户身份和申报收入相符。",
            ["资金来源为单一可识别的雇主。", "支出为正常的家庭开支。"],
        ),
    },
    {
        "flag": False,
        "en": (
            "A retired customer withdraws about $1,800 in cash each month, as the account has done for the past six years. Should we file anything?",
            "No — a stable, long-standing cash pattern consistent with a pension is not suspicious.",
            [
                "The amount is small and consistent with history.",
                "Nothing indicates threshold avoidance or third-party involvement.",
            ],
        ),
        "zh": (
            "一位退休客户过去六年每月都从账户取现约8,000元。需要上报吗？",
            "不需要，长期稳定且与养老金相符的取现不属于可疑交易。",
            ["金额较小，且与历史习惯一致。", "没有规避报告标准或第三方介入的迹象。"],
        ),
    },
    {
        "flag": False,
        "en": (
            "{firm}'s payroll account pays about 40 employees twice a month, matching its headcount and declared turnover. Is this unusual?",
            "No — payroll payments consistent with headcount and turnover are expected activity.",
            ["Beneficiaries are employees on file.", "Amounts and timing match the business profile."],
        ),
        "zh": (
            "{firm}的代发工资账户每月两次向约40名员工发放工资，与其员工人数和申报营业额一致。是否异常？",
            "不异常，与员工人数和营业规模相符的代发工资属于正常交易。",
            ["收款人均为登记在册的员工。", "金额和时间与企业经营情况一致。"],
        ),
    },
    {
        "flag": False,
        "en": (
            "A customer receives a one-off transfer of ${amt} from a law firm and provides the probate documents showing it is an inheritance. Is further action needed?",
            "No red flag — a documented inheritance explains the transfer; record the evidence on file.",
            [
                "The source of funds is verified by probate documents.",
                "The payer is a regulated law firm acting for the estate.",
            ],
        ),
        "zh": (
            "客户收到律师事务所一次性转入的{amt_zh}万元，并提供了遗产继承公证文件。还需要进一步处理吗？",
            "无明显可疑，继承文件能够解释资金来源，归档留存即可。",
            ["资金来源已由公证文件证实。", "付款方是代表遗产处理的律师事务所。"],
        ),
    },
    {
        "flag": True,
        "en": (
            "A customer buys prepaid cards worth about ${amt} at several branches in one week and cannot explain the purpose. How should staff respond?",
            "Treat it as a red flag: escalate to the AML team and do not alert the customer.",
            [
                "Prepaid instruments bought in volume across branches can move value anonymously.",
                "The customer gives no credible purpose.",
            ],
        ),
        "zh": (
            "客户一周内在多个网点购买了约{amt_zh}万元的预付卡，且无法说明用途。员工应如何处理？",
            "属于可疑信号：应上报反洗钱岗位，且不得向客户透露。",
            ["跨网点大量购买预付卡可以匿名转移资金。", "客户无法给出合理用途。"],
        ),
    },
]
COUNTRIES = [
    ("the British Virgin Islands", "英属维尔京群岛"),
    ("Panama", "巴拿马"),
    ("the Seychelles", "塞舌尔"),
    ("Cyprus", "塞浦路斯"),
    ("Belize", "伯利兹"),
    ("the Cayman Islands", "开曼群岛"),
]


def scenario_rows(rng):
    rows = []
    for sc in SCENARIOS:
        for lang in ("en", "zh"):
            country, country_zh = rng.choice(COUNTRIES)
            amt_k = rng.choice([45, 60, 75, 90, 120, 150, 180, 240, 300])
            slots = {
                "firm": rng.choice(FIRMS_EN if lang == "en" else FIRMS_ZH),
                "country": country,
                "country_zh": country_zh,
                "amt": money(amt_k * 1000, 0),
                "amt_zh": str(amt_k),
            }
            q, concl, bullets = sc[lang]
            if lang == "en":
                verdict = (
                    "Red flag – escalate to the AML team"
                    if sc["flag"]
                    else "No red flag – document and continue monitoring"
                )
            else:
                verdict = "可疑，上报反洗钱岗位" if sc["flag"] else "无明显可疑，留档并持续监测"
            rows.append(
                _row(rng, lang, "aml_scenario", q.format(**slots), _basis_answer(lang, concl, bullets, verdict))
            )
    return rows


def concept_rows(rng):
    rows = []
    for c in CONCEPTS:
        for lang in ("en", "zh"):
            q, concl, bullets, ans = c[lang]
            rows.append(_row(rng, lang, "concept", q, _basis_answer(lang, concl, bullets, ans)))
    return rows


def build_rows(rng, n, zh_share, pool):
    """Return ``n`` accepted base rows, about ``zh_share`` of them Chinese."""
    fixed = fill_unique(rng, concept_rows(rng) + scenario_rows(rng), pool)
    n_zh = round(n * zh_share) - sum(r.lang == "zh" for r in fixed)
    n_en = n - len(fixed) - n_zh
    en = fill_balanced(rng, [(w, partial(f, lang="en")) for w, f in NUMERIC], n_en, pool)
    zh = fill_balanced(rng, [(w, partial(f, lang="zh")) for w, f in NUMERIC], n_zh, pool)
    return fixed + en + zh


# --------------------------------------------------------------------------
# Planted defects specific to finance

MISSPELLINGS = [
    ("Tier 1 capital", "Teir 1 capital"),
    ("loan-to-value", "loan-to-valeu"),
    ("debt-service coverage", "debt-sevice coverage"),
    ("liquidity coverage ratio", "liquidty coverage ratio"),
    ("risk-weighted assets", "risk-wieghted assets"),
    ("beneficial owners", "benefical owners"),
    ("provision coverage ratio", "provison coverage ratio"),
    ("资本充足率", "资本充足律"),
    ("反洗钱", "反洗线"),
    ("风险加权资产", "风险加全资产"),
    ("贷款价值比", "贷款价值必"),
    ("偿债覆盖率", "偿债复盖率"),
]


def out_of_range_rows(rng):
    """Rows whose user turn states an implausible fact (value outside the KB range)."""
    rows = []
    # (lang, entity, value, builder)
    bank = rng.choice(BANKS_EN)
    rwa = _pick(rng, 800, 6000, 10)
    v = 250
    x = rwa * v / 100
    q = f"{bank} reports a Tier 1 capital ratio of {v}% on risk-weighted assets of ${trim(rwa)} million. How much Tier 1 capital does that imply?"
    a = _num_answer(
        "en",
        f"A Tier 1 capital ratio of {v}% implies Tier 1 capital of ${money(x)} million.",
        [f"{trim(rwa)} × {v} ÷ 100 = {plain(x)}"],
        plain(x),
        " million USD",
    )
    rows.append(
        (_row(rng, "en", "out_of_range", q, a), "Tier 1 capital ratio", v, "%", f"Tier 1 capital ratio of {v}%")
    )

    val = _pick(rng, 200000, 600000, 5000)
    v = 320
    x = val * v / 100
    q = f"A mortgage file shows a loan-to-value ratio of {v}% on a house appraised at ${money(val, 0)}. What is the loan amount?"
    a = _num_answer(
        "en",
        f"At a loan-to-value ratio of {v}% the loan amount is ${money(x)}.",
        [f"{trim(val)} × {v} ÷ 100 = {plain(x)}"],
        plain(x),
        " USD",
    )
    rows.append((_row(rng, "en", "out_of_range", q, a), "loan-to-value ratio", v, "%", f"loan-to-value ratio of {v}%"))

    ds = _pick(rng, 50000, 200000, 1000)
    v = 45
    x = ds * v
    q = f"The credit memo states a debt-service coverage ratio of {v}x with annual debt service of ${money(ds, 0)}. What net operating income does that imply?"
    a = _num_answer(
        "en",
        f"A debt-service coverage ratio of {v}x implies net operating income of ${money(x)}.",
        [f"{trim(ds)} × {v} = {plain(x)}"],
        plain(x),
        " USD",
    )
    rows.append(
        (
            _row(rng, "en", "out_of_range", q, a),
            "debt-service coverage ratio",
            v,
            "x",
            f"debt-service coverage ratio of {v}x",
        )
    )

    p = _pick(rng, 1000, 20000, 500)
    v = 180
    x = p * v / 100
    q = f"A payday lender charges an annual interest rate of {v}% on a ${money(p, 0)} loan for one year. How much simple interest is due?"
    a = _num_answer(
        "en",
        f"One year of simple interest at {v}% is ${money(x)}.",
        [f"{trim(p)} × {trim(v / 100)} × 1 = {plain(x)}"],
        plain(x),
        " USD",
    )
    rows.append(
        (_row(rng, "en", "out_of_range", q, a), "annual interest rate", v, "%", f"annual interest rate of {v}%")
    )

    rwa = _pick(rng, 500, 5000, 10)
    v = 260
    x = rwa * v / 100
    q = f"某银行一级资本充足率为{v}%，风险加权资产为{trim(rwa)}亿元，一级资本是多少？"
    a = _num_answer(
        "zh",
        f"一级资本充足率为{v}%时，一级资本为{money(x)}亿元。",
        [f"{trim(rwa)} × {v} ÷ 100 = {plain(x)}"],
        plain(x),
        "亿元",
    )
    rows.append((_row(rng, "zh", "out_of_range", q, a), "Tier 1 capital ratio", v, "%", f"一级资本充足率为{v}%"))

    val = _pick(rng, 100, 900, 5)
    v = 210
    x = val * v / 100
    q = f"一笔房贷的贷款价值比为{v}%，房产评估价{trim(val)}万元，贷款金额是多少？"
    a = _num_answer(
        "zh",
        f"贷款价值比为{v}%时，贷款金额为{money(x)}万元。",
        [f"{trim(val)} × {v} ÷ 100 = {plain(x)}"],
        plain(x),
        "万元",
    )
    rows.append((_row(rng, "zh", "out_of_range", q, a), "loan-to-value ratio", v, "%", f"贷款价值比为{v}%"))

    out = []
    for row, entity, value, unit, text in rows:
        row.plants.append({"kind": "out_of_range", "entity": entity, "value": value, "unit": unit, "text": text})
        out.append(row)
    return out


# PII to plant: (kind, lang, phone format or None)
PII_PLAN = [
    ("email", "en", None),
    ("email", "en", None),
    ("email", "zh", None),
    ("phone", "en", "us"),
    ("phone", "en", "uk"),
    ("phone", "zh", "cn_mobile"),
    ("phone", "zh", "cn_mobile"),
    ("card", "en", None),
    ("card", "en", None),
    ("card", "zh", None),
    ("iban", "en", None),
    ("iban", "en", None),
    ("ssn", "en", None),
    ("ssn", "en", None),
    ("cn_id", "zh", None),
    ("cn_id", "zh", None),
]

PLAN = {
    "exact_duplicate": 8,
    "near_duplicate": 8,
    "html": 5,
    "mojibake": 5,
    "misspelled_term": 6,
}


# --------------------------------------------------------------------------
# Knowledge base

TERMS = [
    # English
    "Basel III",
    "Common Equity Tier 1",
    "CET1",
    "CET1 ratio",
    "Tier 1 capital",
    "Tier 1 capital ratio",
    "Tier 2 capital",
    "total capital ratio",
    "risk-weighted assets",
    "RWA",
    "capital conservation buffer",
    "countercyclical capital buffer",
    "G-SIB surcharge",
    "leverage ratio",
    "leverage exposure",
    "liquidity coverage ratio",
    "LCR",
    "high-quality liquid assets",
    "HQLA",
    "net cash outflows",
    "net stable funding ratio",
    "NSFR",
    "available stable funding",
    "required stable funding",
    "value at risk",
    "VaR",
    "expected shortfall",
    "square-root-of-time rule",
    "backtesting",
    "traffic-light test",
    "FRTB",
    "daily volatility",
    "confidence level",
    "loan-to-value ratio",
    "LTV",
    "debt-service coverage ratio",
    "DSCR",
    "net operating income",
    "debt service",
    "covenant",
    "debt-to-income ratio",
    "DTI",
    "non-performing loan",
    "NPL ratio",
    "provision coverage ratio",
    "loan-loss provisions",
    "probability of default",
    "PD",
    "loss given default",
    "LGD",
    "exposure at default",
    "EAD",
    "expected loss",
    "simple interest",
    "compound interest",
    "annual interest rate",
    "amortization",
    "monthly payment",
    "percentage change",
    "exchange rate",
    "KYC",
    "know your customer",
    "customer due diligence",
    "CDD",
    "enhanced due diligence",
    "EDD",
    "customer identification programme",
    "CIP",
    "beneficial owner",
    "politically exposed person",
    "PEP",
    "anti-money laundering",
    "AML",
    "suspicious activity report",
    "SAR",
    "currency transaction report",
    "CTR",
    "structuring",
    "placement",
    "layering",
    "integration",
    "trade-based money laundering",
    "shell company",
    "nominee director",
    "sanctions screening",
    "OFAC",
    "SDN list",
    "tipping off",
    "source of funds",
    "source of wealth",
    "correspondent banking",
    "red flag",
    "FinCEN",
    # Chinese
    "巴塞尔III",
    "核心一级资本",
    "核心一级资本充足率",
    "一级资本",
    "一级资本充足率",
    "二级资本",
    "资本充足率",
    "风险加权资产",
    "储备资本",
    "逆周期资本",
    "杠杆率",
    "流动性覆盖率",
    "合格优质流动性资产",
    "现金净流出",
    "净稳定资金比例",
    "可用的稳定资金",
    "所需的稳定资金",
    "风险价值",
    "预期尾部损失",
    "时间平方根法则",
    "回溯检验",
    "置信度",
    "日波动率",
    "贷款价值比",
    "偿债覆盖率",
    "净营业收入",
    "债务收入比",
    "不良贷款",
    "不良贷款率",
    "拨备覆盖率",
    "贷款损失准备",
    "违约概率",
    "违约损失率",
    "违约风险暴露",
    "预期损失",
    "单利",
    "复利",
    "年利率",
    "等额本息",
    "汇率",
    "客户身份识别",
    "客户尽职调查",
    "强化尽职调查",
    "受益所有人",
    "政治公众人物",
    "反洗钱",
    "可疑交易报告",
    "大额交易报告",
    "拆分交易",
    "处置",
    "离析",
    "融合",
    "贸易洗钱",
    "空壳公司",
    "制裁名单筛查",
    "资金来源",
    "财富来源",
    "代理行",
    "泄密",
]

FACTS = [
    {
        "entity": "CET1 ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 40,
        "unit": "%",
        "aliases": ["CET1 ratio", "Common Equity Tier 1 ratio", "核心一级资本充足率"],
    },
    {
        "entity": "Tier 1 capital ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 40,
        "unit": "%",
        "aliases": ["Tier 1 capital ratio", "Tier 1 ratio", "一级资本充足率"],
    },
    {
        "entity": "total capital ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 50,
        "unit": "%",
        "aliases": ["total capital ratio", "capital adequacy ratio", "资本充足率"],
    },
    {
        "entity": "leverage ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 30,
        "unit": "%",
        "aliases": ["leverage ratio", "Basel III leverage ratio", "杠杆率"],
    },
    {
        "entity": "liquidity coverage ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 600,
        "unit": "%",
        "aliases": ["liquidity coverage ratio", "LCR", "流动性覆盖率"],
    },
    {
        "entity": "net stable funding ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 300,
        "unit": "%",
        "aliases": ["net stable funding ratio", "NSFR", "净稳定资金比例"],
    },
    {
        "entity": "loan-to-value ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 150,
        "unit": "%",
        "aliases": ["loan-to-value ratio", "LTV", "贷款价值比"],
    },
    {
        "entity": "debt-service coverage ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 20,
        "unit": "x",
        "aliases": ["debt-service coverage ratio", "DSCR", "偿债覆盖率"],
    },
    {
        "entity": "debt-to-income ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 100,
        "unit": "%",
        "aliases": ["debt-to-income ratio", "DTI", "债务收入比"],
    },
    {
        "entity": "NPL ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 50,
        "unit": "%",
        "aliases": ["NPL ratio", "non-performing loan ratio", "不良贷款率"],
    },
    {
        "entity": "provision coverage ratio",
        "attribute": "ratio",
        "min": 0,
        "max": 1000,
        "unit": "%",
        "aliases": ["provision coverage ratio", "拨备覆盖率"],
    },
    {
        "entity": "annual interest rate",
        "attribute": "rate",
        "min": 0,
        "max": 100,
        "unit": "%",
        "aliases": ["annual interest rate", "interest rate", "年利率"],
    },
    {
        "entity": "probability of default",
        "attribute": "probability",
        "min": 0,
        "max": 100,
        "unit": "%",
        "aliases": ["probability of default", "PD", "违约概率"],
    },
    {
        "entity": "loss given default",
        "attribute": "share",
        "min": 0,
        "max": 100,
        "unit": "%",
        "aliases": ["loss given default", "LGD", "违约损失率"],
    },
]

THESAURUS = [
    ["loan", "credit facility", "advance"],
    ["borrower", "obligor", "debtor"],
    ["customer", "client"],
    ["bank", "lender", "financial institution"],
    ["calculate", "compute", "work out"],
    ["interest rate", "rate of interest"],
    ["deposit", "place funds"],
    ["escalate", "refer", "report"],
    ["suspicious", "unusual", "questionable"],
    ["red flag", "warning sign", "risk indicator"],
    ["requirement", "minimum", "floor"],
    ["assess", "evaluate", "review"],
    ["company", "firm", "business"],
    ["payment", "installment", "repayment"],
    ["property", "real estate", "collateral"],
    ["appraised", "valued"],
    ["total", "sum", "aggregate"],
    ["increase", "rise", "growth"],
    ["decrease", "decline", "fall"],
    ["annual", "yearly", "per year"],
    ["monthly", "each month", "per month"],
    ["verify", "confirm", "validate"],
    ["policy limit", "internal limit", "cap"],
    ["transfer", "wire", "remittance"],
    ["贷款", "借款", "信贷"],
    ["客户", "顾客", "用户"],
    ["银行", "金融机构"],
    ["计算", "测算", "核算"],
    ["可疑", "异常"],
    ["上报", "报告", "报送"],
    ["要求", "标准", "下限"],
    ["评估", "判断", "审查"],
    ["企业", "公司"],
    ["还款", "偿还", "归还"],
    ["房产", "房屋", "不动产"],
    ["合计", "总计", "共计"],
    ["增长", "上升", "增加"],
    ["下降", "减少", "降低"],
    ["每月", "按月"],
    ["汇款", "转账", "划款"],
    ["核实", "核验", "确认"],
    ["风险", "隐患"],
]


def knowledge():
    return {"terms": TERMS, "facts": FACTS, "thesaurus": THESAURUS}

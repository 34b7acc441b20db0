# ruff: noqa: E501  (data tables: long hand-written strings)
"""General demo rows: customer-support and writing-assistant instructions.

Style (both languages): no preamble ("Sure!"), no closing offers, at most four
short sentences or a numbered list.  Fixed output shapes per task:
- reply:     greeting line, 2-3 sentences, sign-off "Best regards,\\n<Agent>, <Company> Support"
- summary:   "Summary: <one sentence>"
- classify:  "Category: <c>\\nPriority: <p>\\nReason: <one sentence>"
- extract:   "Customer: ...\\nOrder: ...\\nIssue: ...\\nRequested action: ..."
- subject:   "Subject: <line>"
- rewrite / grammar: the rewritten text only
- how-to:    numbered steps
"""

from __future__ import annotations

from functools import partial

from _demo_common import chat, fill_balanced, fill_unique

NAME = "general"

SYSTEM = {
    "en": "You are a customer-support and writing assistant. Answer directly and concisely, with no preamble.",
    "zh": "你是客服与写作助手。直接、简洁地回答，不要寒暄和多余的话。",
}

COMPANIES = [
    "Lumen Home",
    "Brightcart",
    "Nordvik Outdoor",
    "Pixelpress",
    "Tidewater Books",
    "Orbit Mobile",
    "Fernway Coffee",
    "Kestrel Fitness",
]
COMPANIES_ZH = ["光屿家居", "优选购", "北境户外", "像素印坊", "潮汐书店", "星轨通信", "蕨野咖啡", "隼跃健身"]
AGENTS = ["Maya", "Daniel", "Priya", "Leo", "Sofia", "Ethan", "Hana", "Marco"]
AGENTS_ZH = ["小林", "小周", "小陈", "小王", "小赵", "小吴", "小孙", "小郑"]
CUSTOMERS = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Chloe", "James", "Zoe", "Ryan"]
CUSTOMERS_ZH = ["李女士", "王先生", "张女士", "刘先生", "陈女士", "杨先生", "赵女士", "黄先生", "周女士", "吴先生"]
# Electrical goods (can "stop working", have a casing and a serial number) and other goods.
DEVICES = [
    "desk lamp",
    "coffee grinder",
    "webcam",
    "smart plug",
    "kettle",
    "bluetooth speaker",
    "electric toothbrush",
    "hair dryer",
]
DEVICES_ZH = ["台灯", "磨豆机", "无线耳机", "智能插座", "电水壶", "蓝牙音箱", "电动牙刷", "吹风机"]
GOODS = ["yoga mat", "backpack", "phone case", "hiking jacket", "water bottle", "throw blanket"]
GOODS_ZH = ["瑜伽垫", "双肩包", "手机壳", "冲锋衣", "保温杯", "毛毯"]

# Support scenarios.  Message templates use {product} {order} {days} {amount}.
SCENARIOS = [
    {
        "category": ("Shipping", "物流"),
        "priority": ("Medium", "中"),
        "en": {
            "msgs": [
                "My order {order} for a {product} was supposed to arrive {days} days ago and the tracking hasn't moved. Where is it?",
                "Still waiting on order {order} ({product}). It's {days} days late and nobody has updated me.",
                "Hi, the {product} I ordered ({order}) hasn't shown up yet. Tracking says 'in transit' for {days} days now.",
            ],
            "ack": "Sorry your {product} is running late.",
            "action": "I've opened a trace with the carrier for order {order} and will update you within 24 hours.",
            "next": "If it hasn't moved by then, we'll send a replacement at no cost.",
            "issue": "Order {order} ({product}) is {days} days late with no tracking updates",
            "want": "Locate the parcel or send a replacement",
            "summary": "The customer's order {order} ({product}) is {days} days late and tracking has not updated.",
            "subject": "Update on your delayed order {order}",
        },
        "zh": {
            "msgs": [
                "我订的{product}（订单{order}）本该{days}天前到，物流一直没更新，货到底在哪？",
                "订单{order}的{product}已经晚了{days}天了，也没人通知我，怎么回事？",
                "你好，我买的{product}（{order}）还没到，物流显示“运输中”已经{days}天了。",
            ],
            "ack": "很抱歉您的{product}延误了。",
            "action": "我已就订单{order}向快递公司发起查件，24小时内给您回复。",
            "next": "如届时仍无进展，我们将免费为您补发。",
            "issue": "订单{order}（{product}）延误{days}天，物流无更新",
            "want": "查明包裹下落或补发",
            "summary": "客户的订单{order}（{product}）已延误{days}天，物流信息未更新。",
            "subject": "关于您延误订单{order}的最新进展",
        },
    },
    {
        "category": ("Returns", "退换货"),
        "priority": ("Medium", "中"),
        "devices_only": True,
        "en": {
            "msgs": [
                "The {product} from order {order} arrived with a cracked casing. I'd like a replacement please.",
                "Order {order}: my {product} came damaged, the box was crushed and it doesn't work. What now?",
                "I just unpacked the {product} (order {order}) and it's broken. Can you send a new one?",
            ],
            "ack": "Sorry the {product} arrived damaged.",
            "action": "I've arranged a free replacement for order {order}; it ships within 2 business days.",
            "next": "You'll get a prepaid return label by email, and there's no need to send the damaged item back first.",
            "issue": "{product} from order {order} arrived damaged",
            "want": "Replacement",
            "summary": "The customer received a damaged {product} in order {order} and wants a replacement.",
            "subject": "Your replacement {product} is on its way",
        },
        "zh": {
            "msgs": [
                "订单{order}的{product}收到时外壳裂了，请给我换一个。",
                "订单{order}：{product}到货就坏了，箱子被压扁，根本用不了，怎么处理？",
                "刚拆开{product}（订单{order}）发现是坏的，能给我寄个新的吗？",
            ],
            "ack": "很抱歉{product}到货时已损坏。",
            "action": "我已为订单{order}安排免费换货，2个工作日内发出。",
            "next": "退货运单会发到您的邮箱，不需要先寄回坏件。",
            "issue": "订单{order}的{product}到货损坏",
            "want": "换货",
            "summary": "客户订单{order}中的{product}到货损坏，要求换货。",
            "subject": "您的换货{product}已安排发出",
        },
    },
    {
        "category": ("Billing", "账单"),
        "priority": ("High", "高"),
        "en": {
            "msgs": [
                "I was charged twice for order {order}, ${amount} each time. Please refund the duplicate.",
                "My bank statement shows two charges of ${amount} for the same order ({order}). Fix this please.",
                "Double charge on order {order}! ${amount} taken twice from my account.",
            ],
            "ack": "Sorry about the duplicate charge.",
            "action": "I've confirmed the second ${amount} payment on order {order} and issued a refund today.",
            "next": "It usually appears on your statement within 3-5 business days.",
            "issue": "Charged twice (${amount} each) for order {order}",
            "want": "Refund the duplicate charge",
            "summary": "The customer was charged ${amount} twice for order {order} and wants the duplicate refunded.",
            "subject": "Refund issued for the duplicate charge on {order}",
        },
        "zh": {
            "msgs": [
                "订单{order}被扣了两次款，每次{amount}元，请退还重复的那笔。",
                "银行账单显示同一订单（{order}）扣了两笔{amount}元，请处理。",
                "订单{order}重复扣款！{amount}元被扣了两次。",
            ],
            "ack": "很抱歉给您造成重复扣款。",
            "action": "我已核实订单{order}的第二笔{amount}元扣款，今天已为您退款。",
            "next": "款项一般3-5个工作日内退回原支付账户。",
            "issue": "订单{order}重复扣款（每笔{amount}元）",
            "want": "退还重复扣款",
            "summary": "客户订单{order}被重复扣款{amount}元，要求退还。",
            "subject": "订单{order}重复扣款已退款",
        },
    },
    {
        "category": ("Account", "账户"),
        "priority": ("High", "高"),
        "en": {
            "msgs": [
                "I can't log in. The password reset email never arrives and I've tried {days} times.",
                "Locked out of my account after too many attempts. Reset link doesn't come through.",
                "Password reset isn't working, no email after {days} tries. I need to access my orders.",
            ],
            "ack": "Sorry you're locked out.",
            "action": "I've cleared the lock on your account and sent a fresh reset link, valid for 30 minutes.",
            "next": "If it isn't in your inbox in 5 minutes, please check the spam folder.",
            "issue": "Cannot log in; password reset email not received",
            "want": "Restore account access",
            "summary": "The customer cannot log in because the password reset email is not arriving.",
            "subject": "Your new password reset link",
        },
        "zh": {
            "msgs": [
                "我登录不了，重置密码的邮件一直收不到，已经试了{days}次。",
                "密码输错太多次账号被锁了，重置链接也收不到。",
                "重置密码没反应，试了{days}次都没收到邮件，我要查订单。",
            ],
            "ack": "很抱歉您无法登录。",
            "action": "我已解除账户锁定，并重新发送了重置链接，30分钟内有效。",
            "next": "如5分钟内未收到，请查看垃圾邮件箱。",
            "issue": "无法登录，收不到重置密码邮件",
            "want": "恢复账户访问",
            "summary": "客户收不到重置密码邮件，无法登录账户。",
            "subject": "您的新密码重置链接",
        },
    },
    {
        "category": ("Subscription", "订阅"),
        "priority": ("Low", "低"),
        "en": {
            "msgs": [
                "Please cancel my monthly subscription before the next renewal. I don't use it anymore.",
                "How do I cancel? I want to stop the ${amount}/month plan.",
                "I'd like to end my subscription. No more charges after this month please.",
            ],
            "ack": "Thanks for letting us know.",
            "action": "I've cancelled your subscription, so you won't be charged at the next renewal.",
            "next": "You keep access until the end of the current billing period.",
            "issue": "Wants to cancel the monthly subscription",
            "want": "Cancel before the next renewal",
            "summary": "The customer wants to cancel the monthly subscription before it renews.",
            "subject": "Your subscription has been cancelled",
        },
        "zh": {
            "msgs": [
                "请在下次续费前取消我的包月订阅，我已经不用了。",
                "怎么取消？我不想再续每月{amount}元的套餐了。",
                "我想终止订阅，这个月之后请不要再扣费。",
            ],
            "ack": "感谢告知。",
            "action": "我已为您取消订阅，下次续费日不会再扣款。",
            "next": "本计费周期结束前您仍可正常使用。",
            "issue": "要求取消包月订阅",
            "want": "在下次续费前取消",
            "summary": "客户要求在下次续费前取消包月订阅。",
            "subject": "您的订阅已取消",
        },
    },
    {
        "category": ("Orders", "订单"),
        "priority": ("Medium", "中"),
        "en": {
            "msgs": [
                "I need to change the delivery address on order {order}. I moved last week.",
                "Can you update the shipping address for {order}? The {product} should go to my office instead.",
                "Wrong address on order {order}, please send the {product} to my new place.",
            ],
            "ack": "Thanks for the heads-up.",
            "action": "Order {order} hasn't shipped yet, so please reply with the new address and I'll update it right away.",
            "next": "You'll receive a confirmation once the change is made.",
            "issue": "Needs to change the delivery address for order {order}",
            "want": "Update the shipping address",
            "summary": "The customer wants to change the delivery address on order {order}.",
            "subject": "Updating the address on order {order}",
        },
        "zh": {
            "msgs": [
                "订单{order}的收货地址需要改一下，我上周搬家了。",
                "能帮我修改订单{order}的收货地址吗？{product}想改寄到公司。",
                "订单{order}地址填错了，请把{product}寄到我的新地址。",
            ],
            "ack": "感谢您及时告知。",
            "action": "订单{order}尚未发货，请回复新地址，我马上为您修改。",
            "next": "修改完成后您会收到确认通知。",
            "issue": "需要修改订单{order}的收货地址",
            "want": "更新收货地址",
            "summary": "客户需要修改订单{order}的收货地址。",
            "subject": "关于修改订单{order}收货地址",
        },
    },
    {
        "category": ("Returns", "退换货"),
        "priority": ("Low", "低"),
        "en": {
            "msgs": [
                "I'd like to return the {product} from order {order}. It doesn't fit my needs. How does it work?",
                "Can I get a refund on the {product}? Bought it {days} days ago, unused.",
                "Want to send back the {product} (order {order}) for a refund.",
            ],
            "ack": "Happy to help with your return.",
            "action": "Items can be returned within 30 days, and I've emailed you a prepaid label for order {order}.",
            "next": "Your refund is issued within 5 business days of the item reaching us.",
            "issue": "Wants to return the {product} from order {order}",
            "want": "Refund",
            "summary": "The customer wants to return the {product} from order {order} for a refund.",
            "subject": "Your return label for order {order}",
        },
        "zh": {
            "msgs": [
                "订单{order}的{product}不太合适，想退货，流程是怎样的？",
                "{product}买了{days}天还没用过，可以退款吗？",
                "我想把{product}（订单{order}）退回并退款。",
            ],
            "ack": "很乐意为您办理退货。",
            "action": "商品30天内可退，订单{order}的退货运单已发到您的邮箱。",
            "next": "我们收到商品后5个工作日内退款。",
            "issue": "申请退回订单{order}的{product}",
            "want": "退款",
            "summary": "客户申请退回订单{order}的{product}并退款。",
            "subject": "订单{order}的退货运单",
        },
    },
    {
        "category": ("Promotions", "优惠活动"),
        "priority": ("Low", "低"),
        "en": {
            "msgs": [
                "The discount code SPRING15 says 'invalid' at checkout. It's supposed to be valid until Sunday.",
                "Promo code isn't working on my {product}. Checkout says it doesn't apply.",
                "Your newsletter code WELCOME10 doesn't work. Can you apply it to order {order}?",
            ],
            "ack": "Sorry the code didn't work.",
            "action": "The code excludes sale items, but I've applied the same discount manually to your order.",
            "next": "You'll see the adjusted total in your confirmation email.",
            "issue": "Discount code rejected at checkout",
            "want": "Apply the discount",
            "summary": "The customer's discount code is rejected at checkout.",
            "subject": "Your discount has been applied",
        },
        "zh": {
            "msgs": [
                "优惠码SPRING15结账时提示“无效”，不是到周日都有效吗？",
                "买{product}时优惠码用不了，结算页说不适用。",
                "你们推送的优惠码WELCOME10用不了，能帮我在订单{order}上补上吗？",
            ],
            "ack": "很抱歉优惠码未能使用。",
            "action": "该优惠码不适用于特价商品，我已手动为您的订单补上同等折扣。",
            "next": "调整后的金额会显示在确认邮件中。",
            "issue": "结账时优惠码无效",
            "want": "补用折扣",
            "summary": "客户结账时优惠码提示无效。",
            "subject": "您的优惠已补上",
        },
    },
    {
        "category": ("Technical", "技术支持"),
        "priority": ("High", "高"),
        "en": {
            "msgs": [
                "The app crashes every time I open the cart. Started after yesterday's update.",
                "Your mobile app closes as soon as I try to check out. I've reinstalled it twice.",
                "App keeps crashing on the payment screen, can't finish my {product} order.",
            ],
            "ack": "Sorry the app is crashing.",
            "action": "This is a known issue in the latest update, and a fix is due within 48 hours.",
            "next": "Until then you can complete your order on our website, and your cart is saved.",
            "issue": "Mobile app crashes at cart or checkout after the latest update",
            "want": "Fix the app or complete the order",
            "summary": "The customer's mobile app crashes at checkout since the latest update.",
            "subject": "App crash at checkout: fix coming soon",
        },
        "zh": {
            "msgs": [
                "每次打开购物车App就闪退，昨天更新之后开始的。",
                "手机App一到结算就自动关闭，我已经重装两次了。",
                "App在支付页面一直崩溃，{product}的订单下不了。",
            ],
            "ack": "很抱歉App出现闪退。",
            "action": "这是最新版本的已知问题，修复版本将在48小时内发布。",
            "next": "在此之前您可以在官网下单，购物车内容已保留。",
            "issue": "最新版本App在购物车或结算时闪退",
            "want": "修复App或完成下单",
            "summary": "客户反映更新后App在结算时闪退。",
            "subject": "App结算闪退问题即将修复",
        },
    },
    {
        "category": ("Product", "产品咨询"),
        "priority": ("Low", "低"),
        "devices_only": True,
        "en": {
            "msgs": [
                "Does the {product} come with a warranty? Mine stopped working after {days} days.",
                "What's the warranty on the {product}? It's making a strange noise.",
                "My {product} broke after {days} days of normal use. Is this covered?",
            ],
            "ack": "Sorry your {product} stopped working.",
            "action": "It's covered by our 2-year warranty, so I've started a warranty claim for you.",
            "next": "Please reply with a photo of the serial number and we'll send a replacement.",
            "issue": "{product} stopped working after {days} days",
            "want": "Warranty repair or replacement",
            "summary": "The customer's {product} failed after {days} days and they are asking about the warranty.",
            "subject": "Your warranty claim for the {product}",
        },
        "zh": {
            "msgs": [
                "{product}有保修吗？我的用了{days}天就坏了。",
                "{product}的保修期是多久？现在有异响。",
                "{product}正常使用{days}天就坏了，在保修范围内吗？",
            ],
            "ack": "很抱歉您的{product}出现故障。",
            "action": "该商品享受2年质保，我已为您提交保修申请。",
            "next": "请回复序列号照片，我们会为您寄送新品。",
            "issue": "{product}使用{days}天后故障",
            "want": "保修维修或换新",
            "summary": "客户的{product}使用{days}天后故障，咨询保修。",
            "subject": "您的{product}保修申请",
        },
    },
    {
        "category": ("Orders", "订单"),
        "priority": ("Medium", "中"),
        "en": {
            "msgs": [
                "I ordered a {product} but received something completely different in order {order}.",
                "Wrong item! Order {order} was a {product}, but the box had something else entirely in it.",
                "You sent me the wrong product for order {order}. I need the {product} I paid for.",
            ],
            "ack": "Sorry we sent the wrong item.",
            "action": "I've shipped the correct {product} for order {order} by express today.",
            "next": "Keep the wrong item or donate it, as there's no need to return it.",
            "issue": "Received the wrong item instead of the {product} in order {order}",
            "want": "Send the correct item",
            "summary": "The customer received the wrong item instead of the {product} in order {order}.",
            "subject": "The correct {product} is on its way",
        },
        "zh": {
            "msgs": [
                "我订的是{product}，订单{order}收到的却是完全不同的东西。",
                "发错货了！订单{order}买的是{product}，箱子里却是别的东西。",
                "订单{order}给我发错商品了，我要的是付了钱的{product}。",
            ],
            "ack": "很抱歉给您发错了商品。",
            "action": "今天已通过加急快递为订单{order}补发正确的{product}。",
            "next": "错发的商品无需寄回，您可自行处理。",
            "issue": "订单{order}错发商品，未收到{product}",
            "want": "补发正确商品",
            "summary": "客户订单{order}被错发商品，未收到{product}。",
            "subject": "正确的{product}已补发",
        },
    },
    {
        "category": ("Billing", "账单"),
        "priority": ("Medium", "中"),
        "en": {
            "msgs": [
                "I returned the {product} {days} days ago but still haven't seen the refund of ${amount}.",
                "Where's my refund? Order {order}, ${amount}, return was delivered {days} days ago.",
                "Refund for order {order} (${amount}) still missing, the tracking shows you got the return.",
            ],
            "ack": "Sorry for the wait on your refund.",
            "action": "Your return for order {order} was received, and I've pushed the ${amount} refund through today.",
            "next": "Please allow 3-5 business days for your bank to post it.",
            "issue": "Refund of ${amount} for returned order {order} not received",
            "want": "Process the refund",
            "summary": "The customer has not received the ${amount} refund for the returned order {order}.",
            "subject": "Your ${amount} refund has been processed",
        },
        "zh": {
            "msgs": [
                "{product}{days}天前就退回了，{amount}元的退款还没到账。",
                "我的退款呢？订单{order}，{amount}元，退货{days}天前就签收了。",
                "订单{order}的{amount}元退款一直没到，物流显示你们已经收到退货了。",
            ],
            "ack": "很抱歉让您久等了。",
            "action": "订单{order}的退货已签收，今天已为您提交{amount}元退款。",
            "next": "银行入账一般需要3-5个工作日。",
            "issue": "订单{order}退货后{amount}元退款未到账",
            "want": "处理退款",
            "summary": "客户订单{order}退货后{amount}元退款尚未到账。",
            "subject": "您的{amount}元退款已处理",
        },
    },
]

TICKET_ASK = {
    "reply": {
        "en": [
            "Write a reply to {cust} as {agent} from {company} Support:\n\n{msg}",
            "Draft a short support reply (agent: {agent}, company: {company}).\nCustomer {cust} wrote: {msg}",
            'Reply to the customer below ({cust}). Sign as {agent}, {company} Support.\n"{msg}"',
        ],
        "zh": [
            "请以{company}客服{agent}的身份回复这位客户（称呼：{cust}）：\n\n{msg}",
            "帮我起草一条简短的客服回复（客服：{agent}，公司：{company}，客户：{cust}）。\n客户留言：{msg}",
        ],
    },
    "summary": {
        "en": [
            "Summarize this support ticket in one sentence:\n\n{msg}",
            "One-sentence summary of the ticket below, please.\n{msg}",
        ],
        "zh": ["用一句话总结这条工单：\n\n{msg}", "请把下面的客户留言概括成一句话。\n{msg}"],
    },
    "classify": {
        "en": [
            "Classify this ticket by category and priority:\n\n{msg}",
            "Triage the following message (category, priority, reason).\n{msg}",
        ],
        "zh": ["请判断这条工单的类别和优先级：\n\n{msg}", "对下面的客户留言做分流（类别、优先级、理由）。\n{msg}"],
    },
    "extract": {
        "en": [
            "Extract the customer, order, issue and requested action from this message from {cust}:\n\n{msg}",
            "From the email below (sender: {cust}), pull out customer, order, issue and requested action.\n{msg}",
        ],
        "zh": [
            "从{cust}的这条留言中提取客户、订单、问题和诉求：\n\n{msg}",
            "请提取下面留言的关键信息（客户：{cust}）：客户、订单、问题、诉求。\n{msg}",
        ],
    },
    "subject": {
        "en": [
            "Write an email subject line for our reply to this message:\n\n{msg}",
            "Suggest a subject line for the response to:\n{msg}",
        ],
        "zh": ["为回复下面这条留言写一个邮件主题：\n\n{msg}", "请给这封回复邮件拟一个主题。客户留言：{msg}"],
    },
}

PRIORITY_REASON = {
    "High": "Money or account access is affected and needs fast action.",
    "Medium": "The order is affected but there is no immediate financial loss.",
    "Low": "A routine request with no urgency.",
}
PRIORITY_REASON_ZH = {
    "高": "涉及资金或账户访问，需尽快处理。",
    "中": "影响订单履约，但没有直接资金损失。",
    "低": "常规请求，不紧急。",
}


def _products(lang, devices_only):
    if lang == "en":
        return DEVICES if devices_only else DEVICES + GOODS
    return DEVICES_ZH if devices_only else DEVICES_ZH + GOODS_ZH


def ticket_row(rng, lang, task):
    sc = rng.choice(SCENARIOS)
    s = sc[lang]
    slots = {
        "order": f"#{rng.choice('ABCDEFGHJK')}{rng.randint(10000, 99999)}",
        "days": rng.randint(3, 12),
        "amount": f"{rng.randint(12, 380)}.{rng.choice(['00', '50', '99', '49', '95'])}",
        "product": rng.choice(_products(lang, sc.get("devices_only", False))),
    }
    if lang == "zh":
        slots["amount"] = str(rng.randint(39, 2600))
    msg = rng.choice(s["msgs"]).format(**slots)
    f = {k: (v.format(**slots) if isinstance(v, str) else v) for k, v in s.items() if k != "msgs"}
    company = rng.choice(COMPANIES if lang == "en" else COMPANIES_ZH)
    agent = rng.choice(AGENTS if lang == "en" else AGENTS_ZH)
    cust = rng.choice(CUSTOMERS if lang == "en" else CUSTOMERS_ZH)
    ask = rng.choice(TICKET_ASK[task][lang]).format(msg=msg, company=company, agent=agent, cust=cust)
    ci = 0 if lang == "en" else 1
    order = slots["order"] if slots["order"] in msg else ("not given" if lang == "en" else "未提供")
    if task == "reply":
        if lang == "en":
            ans = f"Hi {cust},\n\n{f['ack']} {f['action']} {f['next']}\n\nBest regards,\n{agent}, {company} Support"
        else:
            ans = f"{cust}您好：\n\n{f['ack']}{f['action']}{f['next']}\n\n{company}客服 {agent}"
    elif task == "summary":
        ans = ("Summary: " if lang == "en" else "总结：") + f["summary"]
    elif task == "classify":
        cat, pri = sc["category"][ci], sc["priority"][ci]
        if lang == "en":
            ans = f"Category: {cat}\nPriority: {pri}\nReason: {PRIORITY_REASON[pri]}"
        else:
            ans = f"类别：{cat}\n优先级：{pri}\n理由：{PRIORITY_REASON_ZH[pri]}"
    elif task == "extract":
        if lang == "en":
            ans = f"Customer: {cust}\nOrder: {order}\nIssue: {f['issue']}\nRequested action: {f['want']}"
        else:
            ans = f"客户：{cust}\n订单：{order}\n问题：{f['issue']}\n诉求：{f['want']}"
    else:
        ans = ("Subject: " if lang == "en" else "主题：") + f["subject"]
    system = SYSTEM[lang] if rng.random() < 0.4 else None
    return chat(system, [ask, ans], lang, task)


# Hand-written rewrite / grammar pairs
REWRITES_EN = [
    (
        "Your product is broken and I want my money back now.",
        "The product I received isn't working, so I'd like to request a refund, please.",
    ),
    (
        "Why hasn't anyone answered my email yet?",
        "I sent an email a few days ago and haven't heard back yet. Could someone take a look?",
    ),
    (
        "We can't do that. It's against our policy.",
        "Unfortunately, our policy doesn't allow that, but here is what we can offer instead.",
    ),
    ("You sent the wrong size again.", "It looks like the wrong size arrived again. Could you help me exchange it?"),
    ("Send me the report by tomorrow.", "Could you please send me the report by tomorrow?"),
    ("The meeting is moved. Deal with it.", "The meeting has been rescheduled. Thanks for your flexibility."),
    (
        "Your invoice is wrong, fix it.",
        "I think there's an error on the invoice. Could you please check and correct it?",
    ),
    ("Stop emailing me about upgrades.", "Please remove me from upgrade emails. Thank you."),
    (
        "I told you three times already, the address is wrong.",
        "Just a reminder that the delivery address is still incorrect. Could you update it, please?",
    ),
    (
        "No, we won't refund you after 60 days.",
        "I'm sorry, refunds are only available within 60 days of purchase, but I'm happy to help with a repair.",
    ),
    (
        "Your delivery guy left my parcel in the rain.",
        "My parcel was left outside in the rain. Could you ask the courier to leave deliveries in a dry place?",
    ),
    (
        "Fix the bug, your app is useless.",
        "The app has a bug that stops me from using it. Could you let me know when a fix is expected?",
    ),
    (
        "We need the contract signed today or the deal is off.",
        "To keep the agreement on track, we'd appreciate the signed contract by the end of today.",
    ),
    (
        "Read the manual before calling us.",
        "The answer may be in section 3 of the manual. If not, we're happy to help by phone.",
    ),
]
REWRITE_ASK_EN = [
    "Rewrite this to sound polite and professional:\n{t}",
    'Make this message more courteous:\n"{t}"',
    "Rephrase politely: {t}",
]

REWRITES_ZH = [
    ("你们的东西坏了，赶紧退钱。", "我收到的商品无法正常使用，麻烦帮我办理退款，谢谢。"),
    ("怎么还没人回我邮件？", "我几天前发了邮件，目前还没有收到回复，麻烦帮忙查看一下。"),
    ("这个我们做不了，规定不允许。", "很抱歉，根据公司规定暂时无法办理，我们可以为您提供以下替代方案。"),
    ("明天之前把报告发给我。", "麻烦明天之前把报告发给我，谢谢。"),
    ("发票开错了，重新开。", "发票信息似乎有误，麻烦核对后重新开具，谢谢。"),
    ("别再给我发推销短信了。", "请不要再给我发送推广短信，谢谢。"),
    ("地址我都说了三遍了，还是错的。", "再提醒一下，收货地址仍然不正确，麻烦帮忙更新。"),
    ("你们快递员把包裹扔在门口淋雨了。", "包裹被放在门外淋了雨，麻烦提醒快递员以后放在干燥的地方。"),
    ("App全是bug，根本没法用。", "App有故障导致无法正常使用，请问预计什么时候修复？"),
    ("今天不签合同就别合作了。", "为确保合作顺利推进，希望今天能收到签好的合同。"),
]
REWRITE_ASK_ZH = ["请把这句话改写得礼貌、专业一些：\n{t}", "把下面的话改得客气一点：“{t}”", "礼貌地改写：{t}"]

GRAMMAR_EN = [
    ("Me and my team has finished the report yesterday.", "My team and I finished the report yesterday."),
    ("Their going to send the package tomorow.", "They're going to send the package tomorrow."),
    ("Please find attach the invoice for you're order.", "Please find attached the invoice for your order."),
    ("We was not able to process you payment.", "We were not able to process your payment."),
    ("The item have been shipped on monday.", "The item was shipped on Monday."),
    ("Could you send me less emails about promotions?", "Could you send me fewer emails about promotions?"),
    ("Its important that every customers get a reply.", "It's important that every customer gets a reply."),
    ("I look forward to hear from you soon.", "I look forward to hearing from you soon."),
    ("The datas shows a increase in returns.", "The data shows an increase in returns."),
    ("If I would have known, I would call you.", "If I had known, I would have called you."),
    ("Each of the orders are checked before dispatch.", "Each of the orders is checked before dispatch."),
    ("We recieved your complain and will reply shortly.", "We received your complaint and will reply shortly."),
]
GRAMMAR_ASK_EN = ["Fix the grammar and spelling: {t}", "Correct this sentence:\n{t}", 'Proofread: "{t}"']

GRAMMAR_ZH = [
    ("我们已经收到了您的的退款申请。", "我们已经收到了您的退款申请。"),
    ("通过这次活动，使我们的客户满意度提高了。", "这次活动使我们的客户满意度提高了。"),
    ("您的订单大约需要3天左右送达。", "您的订单大约需要3天送达。"),
    ("我们将尽快的处理您的问题。", "我们将尽快处理您的问题。"),
    ("这款产品深受广大消费者的喜爱和欢迎。", "这款产品深受广大消费者的喜爱。"),
    ("能否帮我查询一下订单的物流信息吗？", "能否帮我查询一下订单的物流信息？"),
    ("由于天气原因的影响，快递可能会延误。", "受天气影响，快递可能会延误。"),
    ("我们的客服时间是每天早9点到晚6点为止。", "我们的客服时间是每天早9点到晚6点。"),
]
GRAMMAR_ASK_ZH = ["请修改这句话中的语病：{t}", "改正下面句子的语法错误：\n{t}", "请润色并纠正：“{t}”"]

HOWTO_EN = [
    (
        "How do I reset my password on the {company} website?",
        [
            'Go to the sign-in page and click "Forgot password".',
            "Enter the email address on your account.",
            "Open the reset email and choose a new password within 30 minutes.",
        ],
    ),
    (
        "How can I track my {company} order?",
        [
            "Open the shipping confirmation email.",
            "Click the tracking link or enter the tracking number on the carrier's site.",
            "Sign in to your account and open Orders to see the latest status.",
        ],
    ),
    (
        "How do I update my payment card in the {company} app?",
        [
            "Open the app and tap Account.",
            "Select Payment methods and tap Add card.",
            "Enter the new card details and set it as default.",
        ],
    ),
    (
        "How do I start a return with {company}?",
        [
            "Sign in and open Orders.",
            "Select the item and tap Return.",
            "Print the prepaid label and drop the parcel at any carrier point within 14 days.",
        ],
    ),
    (
        "How can I change the email address on my {company} account?",
        [
            "Sign in and open Account settings.",
            "Select Email and enter the new address.",
            "Confirm the change from the verification email we send.",
        ],
    ),
    (
        "How do I turn on two-factor authentication for {company}?",
        [
            "Open Account settings and select Security.",
            "Tap Two-factor authentication and choose an authenticator app or SMS.",
            "Enter the code shown to finish setup and save your backup codes.",
        ],
    ),
    (
        "How do I unsubscribe from {company} marketing emails?",
        [
            "Open any marketing email from us.",
            "Click Unsubscribe at the bottom.",
            "Or sign in and switch off marketing emails under Notifications.",
        ],
    ),
    (
        "How do I download an invoice from {company}?",
        ["Sign in and open Orders.", "Select the order you need.", "Click Download invoice to save the PDF."],
    ),
    (
        "How do I pause my {company} subscription?",
        [
            "Sign in and open Subscription.",
            "Choose Pause and select 1, 2 or 3 months.",
            "Confirm; billing restarts automatically at the end of the pause.",
        ],
    ),
    (
        "How do I delete my {company} account?",
        [
            "Sign in and open Account settings.",
            "Select Privacy and then Delete account.",
            "Confirm by email; your data is removed within 30 days.",
        ],
    ),
]
HOWTO_ZH = [
    (
        "{company}官网的密码怎么重置？",
        ["在登录页点击“忘记密码”。", "输入账户绑定的邮箱。", "打开重置邮件，在30分钟内设置新密码。"],
    ),
    (
        "怎么查询{company}订单的物流？",
        [
            "打开发货通知邮件或短信。",
            "点击物流链接，或在快递公司官网输入运单号。",
            "也可登录账户，在“我的订单”中查看最新状态。",
        ],
    ),
    (
        "在{company}App里怎么更换支付银行卡？",
        ["打开App，点击“我的”。", "进入“支付方式”，点击“添加银行卡”。", "填写新卡信息并设为默认。"],
    ),
    (
        "{company}怎么申请退货？",
        ["登录后进入“我的订单”。", "选择商品，点击“申请退货”。", "打印退货运单，14天内交给快递网点。"],
    ),
    (
        "{company}账户绑定的邮箱怎么修改？",
        ["登录后进入“账户设置”。", "选择“邮箱”，填写新地址。", "在验证邮件中确认修改。"],
    ),
    (
        "{company}怎么开启两步验证？",
        ["进入“账户设置”中的“安全”。", "点击“两步验证”，选择验证器App或短信。", "输入验证码完成设置，并保存备用码。"],
    ),
    ("{company}的电子发票在哪里下载？", ["登录后进入“我的订单”。", "选择需要的订单。", "点击“下载发票”保存PDF文件。"]),
    (
        "怎么暂停{company}的订阅？",
        ["登录后进入“我的订阅”。", "选择“暂停”，可选1、2或3个月。", "确认后，暂停期满自动恢复扣费。"],
    ),
]


def fixed_rows(rng):
    rows = []

    def sysp(lang):
        return SYSTEM[lang] if rng.random() < 0.4 else None

    for t, good in REWRITES_EN:
        rows.append(chat(sysp("en"), [rng.choice(REWRITE_ASK_EN).format(t=t), good], "en", "rewrite"))
    for t, good in REWRITES_ZH:
        rows.append(chat(sysp("zh"), [rng.choice(REWRITE_ASK_ZH).format(t=t), good], "zh", "rewrite"))
    for t, good in GRAMMAR_EN:
        rows.append(chat(sysp("en"), [rng.choice(GRAMMAR_ASK_EN).format(t=t), good], "en", "grammar"))
    for t, good in GRAMMAR_ZH:
        rows.append(chat(sysp("zh"), [rng.choice(GRAMMAR_ASK_ZH).format(t=t), good], "zh", "grammar"))
    for q, steps in HOWTO_EN:
        company = rng.choice(COMPANIES)
        rows.append(
            chat(
                sysp("en"),
                [q.format(company=company), "\n".join(f"{i + 1}. {s}" for i, s in enumerate(steps))],
                "en",
                "howto",
            )
        )
    for q, steps in HOWTO_ZH:
        company = rng.choice(COMPANIES_ZH)
        rows.append(
            chat(
                sysp("zh"),
                [q.format(company=company), "\n".join(f"{i + 1}. {s}" for i, s in enumerate(steps))],
                "zh",
                "howto",
            )
        )
    return rows


TASKS = [(3, "reply"), (2, "summary"), (2, "classify"), (2, "extract"), (1, "subject")]


def build_rows(rng, n, zh_share, pool):
    fixed = fill_unique(rng, fixed_rows(rng), pool)
    n_zh = round(n * zh_share) - sum(r.lang == "zh" for r in fixed)
    n_en = n - len(fixed) - n_zh
    en = fill_balanced(rng, [(w, partial(ticket_row, lang="en", task=t)) for w, t in TASKS], n_en, pool)
    zh = fill_balanced(rng, [(w, partial(ticket_row, lang="zh", task=t)) for w, t in TASKS], n_zh, pool)
    return fixed + en + zh


PII_PLAN = [
    ("email", "en", None),
    ("email", "en", None),
    ("email", "zh", None),
    ("email", "en", None),
    ("phone", "en", "us"),
    ("phone", "en", "uk"),
    ("phone", "zh", "cn_mobile"),
    ("phone", "zh", "cn_mobile"),
    ("card", "en", None),
    ("card", "zh", None),
    ("iban", "en", None),
    ("ssn", "en", None),
    ("cn_id", "zh", None),
]

PLAN = {
    "exact_duplicate": 8,
    "near_duplicate": 8,
    "html": 6,
    "mojibake": 5,
}

TERMS = [
    "order",
    "order number",
    "tracking number",
    "carrier",
    "shipping",
    "delivery address",
    "express delivery",
    "return",
    "return label",
    "refund",
    "replacement",
    "exchange",
    "warranty",
    "warranty claim",
    "serial number",
    "invoice",
    "receipt",
    "duplicate charge",
    "chargeback",
    "billing period",
    "subscription",
    "renewal",
    "cancellation",
    "discount code",
    "promo code",
    "checkout",
    "cart",
    "payment method",
    "account",
    "password reset",
    "two-factor authentication",
    "account lock",
    "sign-in",
    "notification",
    "newsletter",
    "unsubscribe",
    "ticket",
    "triage",
    "category",
    "priority",
    "escalation",
    "service level agreement",
    "SLA",
    "first response time",
    "resolution time",
    "customer satisfaction",
    "CSAT",
    "net promoter score",
    "NPS",
    "knowledge base",
    "macro",
    "canned response",
    "live chat",
    "support agent",
    "subject line",
    "proofreading",
    "tone",
    "summary",
    "订单",
    "订单号",
    "运单号",
    "快递",
    "物流",
    "收货地址",
    "加急快递",
    "退货",
    "退货运单",
    "退款",
    "换货",
    "补发",
    "保修",
    "保修申请",
    "序列号",
    "发票",
    "重复扣款",
    "拒付",
    "计费周期",
    "订阅",
    "续费",
    "取消订阅",
    "优惠码",
    "结算",
    "购物车",
    "支付方式",
    "账户",
    "重置密码",
    "两步验证",
    "账户锁定",
    "工单",
    "分流",
    "类别",
    "优先级",
    "升级处理",
    "服务等级协议",
    "首次响应时间",
    "解决时长",
    "客户满意度",
    "知识库",
    "客服",
    "邮件主题",
    "润色",
    "语病",
]

FACTS = [
    {
        "entity": "return window",
        "attribute": "days",
        "min": 0,
        "max": 365,
        "unit": "days",
        "aliases": ["return window", "returned within", "退货期限"],
    },
    {
        "entity": "refund processing time",
        "attribute": "business days",
        "min": 0,
        "max": 30,
        "unit": "business days",
        "aliases": ["refund processing time", "退款到账时间"],
    },
    {
        "entity": "discount",
        "attribute": "percentage",
        "min": 0,
        "max": 100,
        "unit": "%",
        "aliases": ["discount", "折扣"],
    },
    {
        "entity": "warranty period",
        "attribute": "years",
        "min": 0,
        "max": 10,
        "unit": "years",
        "aliases": ["warranty", "质保", "保修期"],
    },
]

THESAURUS = [
    ["order", "purchase"],
    ["customer", "client", "shopper"],
    ["refund", "reimbursement", "money back"],
    ["return", "send back"],
    ["replacement", "new one", "substitute"],
    ["delivery", "shipment", "shipping"],
    ["parcel", "package"],
    ["late", "delayed", "overdue"],
    ["broken", "damaged", "faulty"],
    ["help", "assist", "support"],
    ["quickly", "promptly", "fast"],
    ["sorry", "apologies"],
    ["issue", "problem", "concern"],
    ["cancel", "stop", "end"],
    ["charge", "payment", "fee"],
    ["email", "e-mail", "message"],
    ["update", "change", "modify"],
    ["please", "kindly"],
    ["check", "look into", "review"],
    ["订单", "单子"],
    ["客户", "顾客", "用户"],
    ["退款", "退钱"],
    ["退货", "退回"],
    ["换货", "更换"],
    ["快递", "物流", "包裹"],
    ["延误", "延迟", "晚到"],
    ["损坏", "坏了", "破损"],
    ["帮助", "协助"],
    ["尽快", "马上", "及时"],
    ["抱歉", "对不起"],
    ["问题", "情况"],
    ["取消", "终止"],
    ["扣款", "扣费", "收费"],
    ["修改", "更改", "更新"],
    ["查看", "核实", "检查"],
]


def knowledge():
    return {"terms": TERMS, "facts": FACTS, "thesaurus": THESAURUS}

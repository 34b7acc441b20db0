# ruff: noqa: E501  (data tables: long hand-written strings)
"""Medical demo rows: structured report generation, multi-turn consultation,
and plain-language term explanations.

Answer styles
- report: the assistant answers ONLY with a JSON object with exactly the keys
  chief_complaint (str), diagnosis (str), medications (list of str),
  follow_up (str).  Chinese rows keep the English keys.
- consultation (multi-turn): first reply asks numbered clarifying questions;
  the final reply uses "Likely causes / What you can do now / See a clinician
  if" (or "Urgent:" for red-flag symptoms, always sending the person to
  emergency care) and ends with "This is general information, not a diagnosis."
- term: definition line, then "When to see a clinician: ...".

Terminology comes from the open glossary below (written for this project).
"""

from __future__ import annotations

import json

from _demo_common import chat, fill_balanced, fill_unique, pii_value, plant_pii_sentence

NAME = "medical"
REPORT_FIELDS = ["chief_complaint", "diagnosis", "medications", "follow_up"]

SYSTEM = {
    "report_en": "You are a clinical documentation assistant. Reply only with a JSON object with the keys chief_complaint, diagnosis, medications and follow_up.",
    "report_zh": "你是临床病历结构化助手。只输出JSON对象，字段为chief_complaint、diagnosis、medications、follow_up。",
    "consult_en": "You are a careful medical information assistant. You do not diagnose. Ask clarifying questions, and send people to a clinician or emergency care when red-flag symptoms appear.",
    "consult_zh": "你是谨慎的医疗健康咨询助手，不做诊断。先询问关键情况，出现危险信号时建议及时就医或急诊。",
}

DISCLAIMER = {"en": "This is general information, not a diagnosis.", "zh": "以上为一般健康信息，不能替代医生诊断。"}

# --------------------------------------------------------------------------
# Conditions for clinical notes.
# Each language: dx, cc (complaints), dur (durations), exam, meds (option
# lists), fu (follow-up options).  vitals: ranges for the note.

CONDITIONS = [
    {
        "vitals": {"t": (38.0, 39.6), "hr": (92, 118), "spo2": (91, 95)},
        "en": {
            "dx": "Community-acquired pneumonia",
            "cc": ["Productive cough and fever", "Cough with yellow sputum and shortness of breath"],
            "dur": ["2 days", "3 days", "5 days", "1 week"],
            "exam": [
                "crackles over the right lower lobe",
                "bronchial breathing at the left base; chest X-ray shows consolidation",
            ],
            "meds": [
                ["Amoxicillin 1 g three times daily for 5 days"],
                ["Doxycycline 100 mg twice daily for 5 days", "Paracetamol 1 g every 6 hours as needed"],
            ],
            "fu": [
                "Review in 48 hours; return sooner if breathing worsens",
                "Repeat chest X-ray in 6 weeks; seek urgent care if confused or breathless",
            ],
        },
        "zh": {
            "dx": "社区获得性肺炎",
            "cc": ["咳嗽、咳痰伴发热", "咳黄痰伴气促"],
            "dur": ["2天", "3天", "5天", "1周"],
            "exam": ["右下肺可闻及湿啰音", "左下肺呼吸音减低，胸片示片状实变影"],
            "meds": [
                ["阿莫西林 1 g，每日三次，共5天"],
                ["多西环素 100 mg，每日两次，共5天", "对乙酰氨基酚 1 g，必要时每6小时一次"],
            ],
            "fu": ["48小时后复诊，如气促加重随时就诊", "6周后复查胸片，出现意识改变或呼吸困难立即急诊"],
        },
    },
    {
        "vitals": {"t": (37.0, 38.0)},
        "en": {
            "dx": "Acute bronchitis",
            "cc": ["Dry cough after a cold", "Cough and chest tightness"],
            "dur": ["5 days", "1 week", "10 days", "2 weeks"],
            "exam": ["scattered wheeze, chest otherwise clear", "chest clear, throat mildly red"],
            "meds": [
                ["Paracetamol 500 mg up to four times daily as needed"],
                ["Dextromethorphan 15 mg every 6 hours as needed"],
            ],
            "fu": ["Return if cough lasts beyond 3 weeks or fever develops", "Review in 1 week if not improving"],
        },
        "zh": {
            "dx": "急性支气管炎",
            "cc": ["感冒后干咳", "咳嗽伴胸闷"],
            "dur": ["5天", "1周", "10天", "2周"],
            "exam": ["双肺散在哮鸣音", "双肺呼吸音清，咽部轻度充血"],
            "meds": [["对乙酰氨基酚 500 mg，必要时每日最多四次"], ["右美沙芬 15 mg，必要时每6小时一次"]],
            "fu": ["咳嗽超过3周或出现发热时复诊", "1周后未好转请复诊"],
        },
    },
    {
        "vitals": {"t": (38.0, 39.2), "hr": (88, 110)},
        "en": {
            "dx": "Streptococcal pharyngitis",
            "cc": ["Sore throat and fever", "Painful swallowing"],
            "dur": ["2 days", "3 days", "4 days"],
            "exam": [
                "tonsillar exudate with tender anterior cervical nodes; rapid strep test positive",
                "enlarged red tonsils, no cough; rapid antigen test positive",
            ],
            "meds": [
                ["Penicillin V 500 mg twice daily for 10 days"],
                [
                    "Amoxicillin 500 mg twice daily for 10 days",
                    "Ibuprofen 400 mg three times daily with food as needed",
                ],
            ],
            "fu": [
                "Return if unable to swallow fluids or breathing becomes difficult",
                "No routine follow-up; review if not better in 3 days",
            ],
        },
        "zh": {
            "dx": "链球菌性咽炎",
            "cc": ["咽痛伴发热", "吞咽疼痛"],
            "dur": ["2天", "3天", "4天"],
            "exam": [
                "扁桃体表面脓性分泌物，颈前淋巴结压痛，快速链球菌检测阳性",
                "扁桃体肿大充血，无咳嗽，快速抗原检测阳性",
            ],
            "meds": [
                ["青霉素V钾 500 mg，每日两次，共10天"],
                ["阿莫西林 500 mg，每日两次，共10天", "布洛芬 400 mg，饭后每日三次，必要时服用"],
            ],
            "fu": ["无法进食饮水或呼吸困难时立即就诊", "3天后未好转请复诊"],
        },
    },
    {
        "vitals": {"t": (36.8, 37.8)},
        "en": {
            "dx": "Uncomplicated cystitis",
            "cc": ["Burning on urination and frequency", "Painful urination with lower abdominal discomfort"],
            "dur": ["1 day", "2 days", "3 days"],
            "exam": [
                "suprapubic tenderness, no flank pain; urine dipstick positive for nitrites and leukocytes",
                "abdomen soft, no costovertebral angle tenderness; dipstick shows leukocytes",
            ],
            "meds": [["Nitrofurantoin 100 mg twice daily for 5 days"], ["Fosfomycin 3 g single dose"]],
            "fu": [
                "Return if fever, flank pain or vomiting develop",
                "Send urine culture; review if symptoms persist after 48 hours",
            ],
        },
        "zh": {
            "dx": "急性单纯性膀胱炎",
            "cc": ["尿频、尿痛", "排尿烧灼感伴下腹不适"],
            "dur": ["1天", "2天", "3天"],
            "exam": ["耻骨上压痛，无肾区叩痛；尿常规亚硝酸盐及白细胞阳性", "腹软，无肾区叩痛；尿白细胞阳性"],
            "meds": [["呋喃妥因 100 mg，每日两次，共5天"], ["磷霉素氨丁三醇 3 g，单次口服"]],
            "fu": ["出现发热、腰痛或呕吐时及时就诊", "送尿培养，48小时后症状未缓解请复诊"],
        },
    },
    {
        "vitals": {"sbp": (148, 176), "dbp": (92, 106)},
        "en": {
            "dx": "Essential hypertension",
            "cc": [
                "Raised blood pressure on home readings",
                "Occasional morning headaches with high blood pressure readings",
            ],
            "dur": ["1 month", "2 months", "3 months", "6 months"],
            "exam": ["fundi normal, heart sounds normal; ECG normal", "BMI 29, no signs of end-organ damage"],
            "meds": [["Amlodipine 5 mg once daily"], ["Ramipril 2.5 mg once daily"]],
            "fu": [
                "Recheck blood pressure and kidney function in 4 weeks",
                "Home blood pressure diary; review in 1 month",
            ],
        },
        "zh": {
            "dx": "原发性高血压",
            "cc": ["家庭自测血压升高", "晨起头痛伴血压升高"],
            "dur": ["1个月", "2个月", "3个月", "半年"],
            "exam": ["眼底未见异常，心音正常，心电图正常", "BMI 29，未见靶器官损害"],
            "meds": [["氨氯地平 5 mg，每日一次"], ["雷米普利 2.5 mg，每日一次"]],
            "fu": ["4周后复查血压和肾功能", "每日记录家庭血压，1个月后复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Type 2 diabetes mellitus",
            "cc": ["Increased thirst and frequent urination", "Tiredness and weight loss"],
            "dur": ["1 month", "2 months", "3 months"],
            "exam": [
                "fasting blood glucose 8.6 mmol/L, HbA1c 7.9%",
                "fasting blood glucose 9.4 mmol/L, HbA1c 8.3%, feet sensation normal",
            ],
            "meds": [
                ["Metformin 500 mg twice daily with meals"],
                ["Metformin 500 mg once daily with the evening meal, increasing to twice daily after 2 weeks"],
            ],
            "fu": [
                "Recheck HbA1c in 3 months; refer to diabetes education",
                "Annual eye screening; review in 3 months",
            ],
        },
        "zh": {
            "dx": "2型糖尿病",
            "cc": ["口渴、多尿", "乏力伴体重下降"],
            "dur": ["1个月", "2个月", "3个月"],
            "exam": ["空腹血糖8.6 mmol/L，糖化血红蛋白7.9%", "空腹血糖9.4 mmol/L，糖化血红蛋白8.3%，足部感觉正常"],
            "meds": [["二甲双胍 500 mg，每日两次，随餐服用"], ["二甲双胍 500 mg，每晚随餐一次，2周后加至每日两次"]],
            "fu": ["3个月后复查糖化血红蛋白，参加糖尿病教育", "每年眼底筛查，3个月后复诊"],
        },
    },
    {
        "vitals": {"hr": (96, 118), "spo2": (93, 96)},
        "en": {
            "dx": "Asthma exacerbation",
            "cc": ["Wheeze and shortness of breath", "Night-time cough and chest tightness"],
            "dur": ["1 day", "2 days", "3 days"],
            "exam": [
                "widespread expiratory wheeze, peak flow 65% of best",
                "speaking in full sentences, peak flow 70% of predicted",
            ],
            "meds": [
                ["Salbutamol inhaler 2 puffs every 4 hours as needed", "Prednisolone 40 mg once daily for 5 days"],
                ["Salbutamol inhaler 4 puffs via spacer as needed", "Budesonide inhaler 200 micrograms twice daily"],
            ],
            "fu": [
                "Review in 48 hours; call emergency services if unable to speak in sentences",
                "Asthma action plan given; review inhaler technique in 1 week",
            ],
        },
        "zh": {
            "dx": "支气管哮喘急性发作",
            "cc": ["喘息、气促", "夜间咳嗽伴胸闷"],
            "dur": ["1天", "2天", "3天"],
            "exam": ["双肺广泛呼气相哮鸣音，峰流速为个人最佳值的65%", "可连续说完整句子，峰流速为预计值的70%"],
            "meds": [
                ["沙丁胺醇气雾剂 2喷，必要时每4小时一次", "泼尼松龙 40 mg，每日一次，共5天"],
                ["沙丁胺醇气雾剂 4喷（经储雾罐），必要时使用", "布地奈德吸入剂 200 μg，每日两次"],
            ],
            "fu": ["48小时后复诊，如说话不能成句立即拨打120", "已给予哮喘行动计划，1周后复查吸入技术"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Migraine without aura",
            "cc": ["One-sided throbbing headache with nausea", "Recurrent headaches with sensitivity to light"],
            "dur": ["1 day", "2 months", "6 months"],
            "exam": ["neurological examination normal", "no neck stiffness, fundi normal, neurological exam normal"],
            "meds": [
                ["Sumatriptan 50 mg at onset, may repeat after 2 hours", "Ibuprofen 400 mg as needed"],
                ["Naproxen 500 mg at onset", "Metoclopramide 10 mg as needed for nausea"],
            ],
            "fu": [
                "Keep a headache diary; review in 6 weeks",
                "Return urgently for sudden severe headache or weakness",
            ],
        },
        "zh": {
            "dx": "无先兆偏头痛",
            "cc": ["单侧搏动性头痛伴恶心", "反复头痛伴畏光"],
            "dur": ["1天", "2个月", "半年"],
            "exam": ["神经系统查体未见异常", "无颈强直，眼底正常，神经系统检查正常"],
            "meds": [
                ["舒马普坦 50 mg，发作时服用，2小时后可重复", "布洛芬 400 mg，必要时服用"],
                ["萘普生 500 mg，发作时服用", "甲氧氯普胺 10 mg，恶心时服用"],
            ],
            "fu": ["记录头痛日记，6周后复诊", "出现突发剧烈头痛或肢体无力立即急诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Gastro-oesophageal reflux disease",
            "cc": ["Heartburn after meals", "Acid taste in the mouth at night"],
            "dur": ["3 weeks", "1 month", "2 months"],
            "exam": ["epigastric tenderness, no weight loss, no anaemia", "abdomen soft, no alarm features"],
            "meds": [
                ["Omeprazole 20 mg once daily before breakfast for 8 weeks"],
                ["Lansoprazole 30 mg once daily for 4 weeks"],
            ],
            "fu": [
                "Review in 8 weeks; refer for endoscopy if swallowing difficulty or weight loss",
                "Avoid late meals; review in 4 weeks",
            ],
        },
        "zh": {
            "dx": "胃食管反流病",
            "cc": ["餐后烧心", "夜间反酸"],
            "dur": ["3周", "1个月", "2个月"],
            "exam": ["上腹轻压痛，无体重下降及贫血", "腹软，无报警症状"],
            "meds": [["奥美拉唑 20 mg，早餐前每日一次，共8周"], ["兰索拉唑 30 mg，每日一次，共4周"]],
            "fu": ["8周后复诊，如出现吞咽困难或体重下降需行胃镜检查", "避免睡前进食，4周后复诊"],
        },
    },
    {
        "vitals": {"t": (37.2, 38.2), "hr": (88, 108)},
        "en": {
            "dx": "Acute gastroenteritis",
            "cc": ["Vomiting and watery diarrhoea", "Diarrhoea and abdominal cramps"],
            "dur": ["1 day", "2 days"],
            "exam": ["mild dehydration, abdomen soft and non-tender", "dry mucous membranes, normal bowel sounds"],
            "meds": [
                ["Oral rehydration solution after each loose stool", "Ondansetron 4 mg up to twice daily as needed"],
                ["Oral rehydration solution 200 ml after each loose stool"],
            ],
            "fu": [
                "Return if blood in stool, no urine for 12 hours or symptoms beyond 3 days",
                "Review in 48 hours if not improving",
            ],
        },
        "zh": {
            "dx": "急性胃肠炎",
            "cc": ["呕吐伴水样腹泻", "腹泻伴腹部绞痛"],
            "dur": ["1天", "2天"],
            "exam": ["轻度脱水，腹软无压痛", "口唇干燥，肠鸣音正常"],
            "meds": [
                ["口服补液盐，每次稀便后服用", "昂丹司琼 4 mg，必要时每日最多两次"],
                ["口服补液盐 200 ml，每次稀便后服用"],
            ],
            "fu": ["出现便血、12小时无尿或症状超过3天时及时就诊", "48小时后未好转请复诊"],
        },
    },
    {
        "vitals": {"hr": (84, 104)},
        "en": {
            "dx": "Iron-deficiency anaemia",
            "cc": ["Fatigue and breathlessness on exertion", "Tiredness and pale skin"],
            "dur": ["1 month", "2 months", "3 months"],
            "exam": ["conjunctival pallor; haemoglobin 96 g/L, ferritin 8 µg/L", "pale; haemoglobin 102 g/L, low MCV"],
            "meds": [["Ferrous sulfate 200 mg once daily"], ["Ferrous fumarate 210 mg once daily"]],
            "fu": [
                "Recheck full blood count in 4 weeks; investigate the cause of iron loss",
                "Repeat the blood count in 1 month",
            ],
        },
        "zh": {
            "dx": "缺铁性贫血",
            "cc": ["乏力伴活动后气促", "疲倦、面色苍白"],
            "dur": ["1个月", "2个月", "3个月"],
            "exam": ["睑结膜苍白；血红蛋白96 g/L，铁蛋白8 µg/L", "面色苍白；血红蛋白102 g/L，平均红细胞体积降低"],
            "meds": [["硫酸亚铁 200 mg，每日一次"], ["富马酸亚铁 210 mg，每日一次"]],
            "fu": ["4周后复查血常规，并查找失血原因", "1个月后复查血常规"],
        },
    },
    {
        "vitals": {"hr": (54, 66)},
        "en": {
            "dx": "Primary hypothyroidism",
            "cc": ["Tiredness, weight gain and feeling cold", "Constipation and dry skin"],
            "dur": ["2 months", "3 months", "6 months"],
            "exam": ["TSH 9.8 mIU/L, free T4 low", "dry skin, slow reflexes; TSH 12.4 mIU/L"],
            "meds": [
                ["Levothyroxine 50 micrograms once daily before breakfast"],
                ["Levothyroxine 25 micrograms once daily, titrate by TSH"],
            ],
            "fu": ["Recheck TSH in 6 weeks", "Thyroid function test in 6-8 weeks"],
        },
        "zh": {
            "dx": "原发性甲状腺功能减退症",
            "cc": ["乏力、体重增加、怕冷", "便秘伴皮肤干燥"],
            "dur": ["2个月", "3个月", "半年"],
            "exam": ["促甲状腺激素9.8 mIU/L，游离T4降低", "皮肤干燥，腱反射减弱；促甲状腺激素12.4 mIU/L"],
            "meds": [["左甲状腺素 50 μg，早餐前每日一次"], ["左甲状腺素 25 μg，每日一次，根据促甲状腺激素调整"]],
            "fu": ["6周后复查促甲状腺激素", "6-8周后复查甲状腺功能"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Acute mechanical low back pain",
            "cc": ["Low back pain after lifting", "Lower back stiffness and pain"],
            "dur": ["2 days", "4 days", "1 week"],
            "exam": [
                "paraspinal muscle tenderness, straight-leg raise negative, normal leg power",
                "no saddle numbness, normal reflexes",
            ],
            "meds": [
                ["Ibuprofen 400 mg three times daily with food for 5 days"],
                ["Paracetamol 1 g four times daily as needed", "Topical diclofenac gel three times daily"],
            ],
            "fu": [
                "Stay active; return urgently for leg weakness, numbness in the groin or bladder problems",
                "Physiotherapy referral; review in 2 weeks",
            ],
        },
        "zh": {
            "dx": "急性机械性腰痛",
            "cc": ["搬重物后腰痛", "腰部僵硬疼痛"],
            "dur": ["2天", "4天", "1周"],
            "exam": ["腰椎旁肌肉压痛，直腿抬高试验阴性，下肢肌力正常", "无鞍区麻木，反射正常"],
            "meds": [
                ["布洛芬 400 mg，饭后每日三次，共5天"],
                ["对乙酰氨基酚 1 g，必要时每日四次", "双氯芬酸凝胶外用，每日三次"],
            ],
            "fu": ["保持适度活动；如出现下肢无力、会阴麻木或排尿异常立即急诊", "转康复科理疗，2周后复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Knee osteoarthritis",
            "cc": ["Right knee pain worse on stairs", "Knee stiffness in the morning"],
            "dur": ["3 months", "6 months", "1 year"],
            "exam": [
                "crepitus and medial joint line tenderness, no effusion",
                "bony enlargement, reduced flexion; X-ray shows joint space narrowing",
            ],
            "meds": [
                ["Topical diclofenac gel three times daily", "Paracetamol 1 g up to three times daily as needed"],
                ["Naproxen 250 mg twice daily with food for 2 weeks"],
            ],
            "fu": [
                "Weight management and quadriceps exercises; review in 3 months",
                "Physiotherapy referral; review in 6 weeks",
            ],
        },
        "zh": {
            "dx": "膝骨关节炎",
            "cc": ["右膝疼痛，上下楼加重", "晨起膝关节僵硬"],
            "dur": ["3个月", "半年", "1年"],
            "exam": ["关节摩擦感，内侧关节间隙压痛，无积液", "骨性膨大，屈曲受限；X线示关节间隙变窄"],
            "meds": [
                ["双氯芬酸凝胶外用，每日三次", "对乙酰氨基酚 1 g，必要时每日最多三次"],
                ["萘普生 250 mg，饭后每日两次，共2周"],
            ],
            "fu": ["控制体重并进行股四头肌锻炼，3个月后复诊", "转康复科，6周后复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Allergic rhinitis",
            "cc": ["Sneezing and runny nose every spring", "Itchy eyes and blocked nose"],
            "dur": ["2 weeks", "1 month", "3 months"],
            "exam": ["pale swollen nasal mucosa, clear discharge", "allergic shiners, clear rhinorrhoea"],
            "meds": [
                ["Cetirizine 10 mg once daily"],
                ["Fluticasone nasal spray 2 sprays each nostril once daily", "Loratadine 10 mg once daily"],
            ],
            "fu": [
                "Review in 4 weeks if symptoms persist",
                "Allergen avoidance advice given; review at the start of next season",
            ],
        },
        "zh": {
            "dx": "过敏性鼻炎",
            "cc": ["每年春季打喷嚏、流清涕", "眼痒、鼻塞"],
            "dur": ["2周", "1个月", "3个月"],
            "exam": ["鼻黏膜苍白水肿，清水样分泌物", "下眼睑暗影，流清涕"],
            "meds": [["西替利嗪 10 mg，每日一次"], ["氟替卡松鼻喷雾剂 每侧2喷，每日一次", "氯雷他定 10 mg，每日一次"]],
            "fu": ["4周后症状仍在请复诊", "已告知避免接触过敏原，下个花粉季前复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Atopic dermatitis",
            "cc": ["Itchy dry rash on the elbows", "Red itchy patches behind the knees"],
            "dur": ["2 weeks", "1 month", "2 months"],
            "exam": ["lichenified erythematous plaques in flexures, no infection", "dry skin with excoriations"],
            "meds": [
                ["Hydrocortisone 1% cream twice daily for 7 days", "Emollient applied liberally several times daily"],
                ["Emollient several times daily", "Cetirizine 10 mg at night for itch"],
            ],
            "fu": ["Review in 2 weeks; return if weeping or crusting appears", "Review in 1 month"],
        },
        "zh": {
            "dx": "特应性皮炎",
            "cc": ["肘部干燥瘙痒性皮疹", "腘窝红斑伴瘙痒"],
            "dur": ["2周", "1个月", "2个月"],
            "exam": ["屈侧苔藓样红斑，无感染征象", "皮肤干燥伴抓痕"],
            "meds": [
                ["1%氢化可的松乳膏，每日两次，共7天", "润肤剂，每日多次足量涂抹"],
                ["润肤剂，每日多次", "西替利嗪 10 mg，睡前止痒"],
            ],
            "fu": ["2周后复诊，如出现渗出结痂及时就诊", "1个月后复诊"],
        },
    },
    {
        "vitals": {"t": (37.6, 38.8), "hr": (86, 106)},
        "en": {
            "dx": "Cellulitis of the lower leg",
            "cc": ["Red, hot, swollen lower leg", "Painful spreading redness on the shin"],
            "dur": ["2 days", "3 days"],
            "exam": [
                "warm erythema with poorly defined edge, no abscess; margins marked",
                "tender erythema over the left shin, small skin break between toes",
            ],
            "meds": [
                ["Flucloxacillin 500 mg four times daily for 7 days"],
                ["Cephalexin 500 mg four times daily for 7 days"],
            ],
            "fu": [
                "Review in 48 hours; return sooner if redness spreads past the marked line",
                "Elevate the leg; review in 2 days",
            ],
        },
        "zh": {
            "dx": "小腿蜂窝织炎",
            "cc": ["小腿红肿热痛", "胫前皮肤发红并扩散"],
            "dur": ["2天", "3天"],
            "exam": ["局部皮温升高，红斑边界不清，无脓肿，已标记范围", "左胫前红斑压痛，趾间皮肤破损"],
            "meds": [["氟氯西林 500 mg，每日四次，共7天"], ["头孢氨苄 500 mg，每日四次，共7天"]],
            "fu": ["48小时后复诊，红斑超出标记线时及时就诊", "抬高患肢，2天后复诊"],
        },
    },
    {
        "vitals": {"t": (38.2, 39.6), "hr": (90, 112)},
        "en": {
            "dx": "Influenza",
            "cc": ["Sudden fever, muscle aches and cough", "Fever, headache and body aches"],
            "dur": ["1 day", "2 days"],
            "exam": [
                "throat mildly red, chest clear; rapid influenza test positive",
                "flushed, chest clear; influenza A antigen positive",
            ],
            "meds": [
                ["Oseltamivir 75 mg twice daily for 5 days", "Paracetamol 1 g every 6 hours as needed"],
                ["Paracetamol 1 g every 6 hours as needed"],
            ],
            "fu": ["Rest and fluids; return if short of breath or confused", "Review if fever persists beyond 5 days"],
        },
        "zh": {
            "dx": "流行性感冒",
            "cc": ["突发高热、肌肉酸痛伴咳嗽", "发热、头痛、全身酸痛"],
            "dur": ["1天", "2天"],
            "exam": ["咽部轻度充血，双肺呼吸音清，流感快速检测阳性", "面色潮红，双肺清，甲型流感抗原阳性"],
            "meds": [
                ["奥司他韦 75 mg，每日两次，共5天", "对乙酰氨基酚 1 g，必要时每6小时一次"],
                ["对乙酰氨基酚 1 g，必要时每6小时一次"],
            ],
            "fu": ["注意休息多饮水，出现气促或意识改变及时就诊", "发热超过5天请复诊"],
        },
    },
    {
        "vitals": {"t": (36.8, 37.8)},
        "en": {
            "dx": "Acute gout flare",
            "cc": ["Sudden severe pain in the big toe", "Swollen red ankle overnight"],
            "dur": ["1 day", "2 days"],
            "exam": [
                "hot swollen first metatarsophalangeal joint; serum uric acid 540 µmol/L",
                "red tender ankle, tophus on the ear",
            ],
            "meds": [
                ["Colchicine 500 micrograms twice daily for 5 days"],
                ["Naproxen 500 mg twice daily with food for 5 days"],
            ],
            "fu": ["Recheck uric acid in 4 weeks and discuss allopurinol", "Review in 1 week; reduce alcohol"],
        },
        "zh": {
            "dx": "痛风急性发作",
            "cc": ["第一跖趾关节突发剧痛", "一夜之间踝关节红肿"],
            "dur": ["1天", "2天"],
            "exam": ["第一跖趾关节红肿热痛；血尿酸540 µmol/L", "踝关节红肿压痛，耳廓可见痛风石"],
            "meds": [["秋水仙碱 0.5 mg，每日两次，共5天"], ["萘普生 500 mg，饭后每日两次，共5天"]],
            "fu": ["4周后复查血尿酸并讨论别嘌醇治疗", "1周后复诊，减少饮酒"],
        },
    },
    {
        "vitals": {"hr": (108, 142)},
        "en": {
            "dx": "Atrial fibrillation",
            "cc": ["Palpitations and fatigue", "Irregular heartbeat and mild breathlessness"],
            "dur": ["2 days", "1 week", "2 weeks"],
            "exam": [
                "irregularly irregular pulse; ECG confirms atrial fibrillation, no ischaemic changes",
                "irregular rhythm, no murmurs; ECG shows atrial fibrillation",
            ],
            "meds": [
                ["Bisoprolol 2.5 mg once daily", "Apixaban 5 mg twice daily"],
                ["Diltiazem 60 mg three times daily", "Apixaban 5 mg twice daily"],
            ],
            "fu": [
                "Echocardiogram and review in 2 weeks; call emergency services for chest pain or fainting",
                "Cardiology referral; recheck heart rate in 1 week",
            ],
        },
        "zh": {
            "dx": "心房颤动",
            "cc": ["心悸伴乏力", "心跳不规则伴轻度气促"],
            "dur": ["2天", "1周", "2周"],
            "exam": ["脉律绝对不齐；心电图证实心房颤动，无缺血改变", "心律不齐，无杂音；心电图示心房颤动"],
            "meds": [
                ["比索洛尔 2.5 mg，每日一次", "阿哌沙班 5 mg，每日两次"],
                ["地尔硫卓 60 mg，每日三次", "阿哌沙班 5 mg，每日两次"],
            ],
            "fu": ["完善心脏超声，2周后复诊；出现胸痛或晕厥立即拨打120", "转心内科，1周后复查心率"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Bacterial conjunctivitis",
            "cc": ["Red sticky eye", "Eye discharge and crusting in the morning"],
            "dur": ["2 days", "3 days"],
            "exam": [
                "purulent discharge, visual acuity normal, no photophobia",
                "conjunctival injection, cornea clear",
            ],
            "meds": [
                ["Chloramphenicol 0.5% eye drops four times daily for 5 days"],
                ["Fusidic acid 1% eye drops twice daily for 7 days"],
            ],
            "fu": ["Return urgently if vision changes or eye pain develops", "Review if not improving in 5 days"],
        },
        "zh": {
            "dx": "细菌性结膜炎",
            "cc": ["眼红伴黏性分泌物", "晨起眼部分泌物结痂"],
            "dur": ["2天", "3天"],
            "exam": ["脓性分泌物，视力正常，无畏光", "结膜充血，角膜透明"],
            "meds": [["氯霉素滴眼液 0.5%，每日四次，共5天"], ["夫西地酸滴眼液 1%，每日两次，共7天"]],
            "fu": ["出现视力下降或眼痛立即就诊", "5天后未好转请复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Benign paroxysmal positional vertigo",
            "cc": ["Brief spinning episodes when turning in bed", "Dizziness when looking up"],
            "dur": ["3 days", "1 week", "2 weeks"],
            "exam": [
                "Dix-Hallpike test positive on the right, no other neurological signs",
                "positional nystagmus, hearing normal",
            ],
            "meds": [[]],
            "fu": [
                "Epley manoeuvre performed; home exercises; return urgently for weakness or slurred speech",
                "Review in 2 weeks if still dizzy",
            ],
        },
        "zh": {
            "dx": "良性阵发性位置性眩晕",
            "cc": ["翻身时短暂天旋地转", "抬头时头晕"],
            "dur": ["3天", "1周", "2周"],
            "exam": ["右侧Dix-Hallpike试验阳性，无其他神经系统体征", "位置性眼震，听力正常"],
            "meds": [[]],
            "fu": ["已行Epley复位，居家练习；出现肢体无力或言语不清立即急诊", "2周后仍头晕请复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Hyperlipidaemia",
            "cc": ["Raised cholesterol on a routine check", "High LDL found at a health screening"],
            "dur": ["1 month", "2 months"],
            "exam": [
                "LDL cholesterol 4.6 mmol/L, 10-year cardiovascular risk 14%",
                "total cholesterol 6.8 mmol/L, BMI 28",
            ],
            "meds": [["Atorvastatin 20 mg once daily at night"], ["Rosuvastatin 10 mg once daily"]],
            "fu": ["Repeat lipids and liver function in 3 months", "Diet and exercise advice; review in 3 months"],
        },
        "zh": {
            "dx": "高脂血症",
            "cc": ["体检发现胆固醇升高", "体检发现低密度脂蛋白升高"],
            "dur": ["1个月", "2个月"],
            "exam": ["低密度脂蛋白胆固醇4.6 mmol/L，10年心血管风险14%", "总胆固醇6.8 mmol/L，BMI 28"],
            "meds": [["阿托伐他汀 20 mg，每晚一次"], ["瑞舒伐他汀 10 mg，每日一次"]],
            "fu": ["3个月后复查血脂和肝功能", "饮食运动指导，3个月后复诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Tension-type headache",
            "cc": ["Band-like headache at the end of the workday", "Pressing headache on both sides"],
            "dur": ["2 weeks", "1 month", "2 months"],
            "exam": ["pericranial muscle tenderness, neurological exam normal", "normal fundi, no neck stiffness"],
            "meds": [
                ["Paracetamol 1 g up to four times daily as needed, no more than 10 days a month"],
                ["Ibuprofen 400 mg as needed with food"],
            ],
            "fu": [
                "Sleep and posture advice; review in 4 weeks",
                "Return urgently for sudden severe headache, fever or weakness",
            ],
        },
        "zh": {
            "dx": "紧张型头痛",
            "cc": ["下班时头部紧箍样疼痛", "双侧压迫性头痛"],
            "dur": ["2周", "1个月", "2个月"],
            "exam": ["颅周肌肉压痛，神经系统检查正常", "眼底正常，无颈强直"],
            "meds": [["对乙酰氨基酚 1 g，必要时每日最多四次，每月不超过10天"], ["布洛芬 400 mg，饭后必要时服用"]],
            "fu": ["调整睡眠和坐姿，4周后复诊", "出现突发剧烈头痛、发热或肢体无力立即急诊"],
        },
    },
    {
        "vitals": {},
        "en": {
            "dx": "Moderate depressive episode",
            "cc": ["Low mood and poor sleep", "Loss of interest and low energy"],
            "dur": ["1 month", "2 months", "3 months"],
            "exam": [
                "PHQ-9 score 15, no suicidal thoughts, good family support",
                "flat affect, PHQ-9 score 14, denies self-harm",
            ],
            "meds": [["Sertraline 50 mg once daily"], []],
            "fu": ["Review in 2 weeks; crisis contacts given", "Referral for talking therapy; review in 2 weeks"],
        },
        "zh": {
            "dx": "中度抑郁发作",
            "cc": ["情绪低落伴失眠", "兴趣减退、精力下降"],
            "dur": ["1个月", "2个月", "3个月"],
            "exam": ["PHQ-9评分15分，无自杀念头，家庭支持良好", "情感平淡，PHQ-9评分14分，否认自伤"],
            "meds": [["舍曲林 50 mg，每日一次"], []],
            "fu": ["2周后复诊，已告知危机求助方式", "转介心理治疗，2周后复诊"],
        },
    },
]

VITAL_DEFAULTS = {"t": (36.3, 37.2), "hr": (62, 88), "sbp": (108, 136), "dbp": (66, 86), "spo2": (96, 99)}


def _vitals(rng, cond):
    v = dict(VITAL_DEFAULTS)
    v.update(cond["vitals"])
    return {
        "t": round(rng.uniform(*v["t"]), 1),
        "hr": rng.randint(*v["hr"]),
        "sbp": rng.randint(*v["sbp"]),
        "dbp": rng.randint(*v["dbp"]),
        "spo2": rng.randint(*v["spo2"]),
    }


def _vitals_text(lang, style, vt, override=None):
    if override:
        return override
    if lang == "en":
        if style == "long":
            return f"temperature {vt['t']} °C, heart rate {vt['hr']} bpm, blood pressure {vt['sbp']}/{vt['dbp']} mmHg, SpO2 {vt['spo2']}%"
        return f"T {vt['t']} °C, HR {vt['hr']}, BP {vt['sbp']}/{vt['dbp']}, SpO2 {vt['spo2']}%"
    if style == "long":
        return f"体温{vt['t']}℃，心率{vt['hr']}次/分，血压{vt['sbp']}/{vt['dbp']} mmHg，血氧饱和度{vt['spo2']}%"
    return f"T {vt['t']}℃，HR {vt['hr']}次/分，BP {vt['sbp']}/{vt['dbp']}mmHg，SpO2 {vt['spo2']}%"


def _lc(s):
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


EN_SEX = [("male", "M", "man"), ("female", "F", "woman")]
ZH_SEX = ["男", "女"]

REPORT_ASK = {
    "en": [
        "Convert the clinical note below into a JSON report with the fields chief_complaint, diagnosis, medications and follow_up.\n\n{note}",
        "Generate a structured JSON report (chief_complaint, diagnosis, medications, follow_up) from this note:\n{note}",
        "Return a JSON object with keys chief_complaint, diagnosis, medications, follow_up for the following encounter.\n\nNote: {note}",
        "{note}\n\nSummarise the note above as JSON: chief_complaint, diagnosis, medications (list), follow_up.",
    ],
    "zh": [
        "请将以下病历转换为JSON报告，字段为chief_complaint、diagnosis、medications、follow_up。\n\n{note}",
        "根据下面的门诊记录生成结构化JSON报告（chief_complaint、diagnosis、medications、follow_up）：\n{note}",
        "{note}\n\n请把上述病历整理成JSON，包含chief_complaint、diagnosis、medications（列表）和follow_up。",
    ],
}


def report_row(rng, lang, cond=None, vitals_override=None):
    cond = cond or rng.choice(CONDITIONS)
    c = cond[lang]
    cc = rng.choice(c["cc"])
    dur = rng.choice(c["dur"])
    exam = rng.choice(c["exam"])
    meds = rng.choice(c["meds"])
    fu = rng.choice(c["fu"])
    age = rng.randint(19, 84)
    vt = _vitals(rng, cond)
    tmpl = rng.randrange(4 if lang == "en" else 3)
    if lang == "en":
        sex, sx, _ = rng.choice(EN_SEX)
        meds_note = "; ".join(_lc(m) for m in meds) if meds else "no medication"
        if tmpl == 0:
            vit = _vitals_text(lang, "long", vt, vitals_override)
            note = (
                f"{age}-year-old {sex} presents with {_lc(cc)} for {dur}. On examination {vit}; {exam}. "
                f"Assessment: {_lc(c['dx'])}. Plan: {meds_note}. {fu}."
            )
        elif tmpl == 1:
            vit = _vitals_text(lang, "short", vt, vitals_override)
            note = (
                f"Pt {age}{sx}. C/O {_lc(cc)} x {dur}. Vitals: {vit}. O/E: {exam}. Dx: {c['dx']}. "
                f"Rx: {meds_note}. F/U: {_lc(fu)}."
            )
        elif tmpl == 2:
            vit = _vitals_text(lang, "long", vt, vitals_override)
            note = (
                f"Clinic note. {sex.capitalize()}, {age} years. History: {_lc(cc)}, {dur}. Observations: {vit}. "
                f"Findings: {exam}. Impression: {c['dx']}. Treatment: {meds_note}. Follow-up: {_lc(fu)}."
            )
        else:
            vit = _vitals_text(lang, "short", vt, vitals_override)
            note = (
                f"Age/sex: {age} {sx}\nPresenting complaint: {_lc(cc)}, {dur}\nVitals: {vit}\nExamination: {exam}\n"
                f"Diagnosis: {c['dx']}\nMedications: {meds_note}\nPlan: {fu}"
            )
        chief = f"{cc} for {dur}"
    else:
        sex = rng.choice(ZH_SEX)
        meds_note = "；".join(meds) if meds else "暂不用药"
        if tmpl == 0:
            vit = _vitals_text(lang, "long", vt, vitals_override)
            note = (
                f"患者，{sex}，{age}岁。主诉：{cc}{dur}。查体：{vit}；{exam}。诊断：{c['dx']}。"
                f"处理：{meds_note}。{fu}。"
            )
        elif tmpl == 1:
            vit = _vitals_text(lang, "short", vt, vitals_override)
            note = (
                f"{sex}，{age}岁，因“{cc}{dur}”就诊。生命体征：{vit}。体格检查：{exam}。初步诊断：{c['dx']}。"
                f"医嘱：{meds_note}。随访：{fu}。"
            )
        else:
            vit = _vitals_text(lang, "long", vt, vitals_override)
            note = (
                f"性别/年龄：{sex}/{age}岁\n主诉：{cc}{dur}\n生命体征：{vit}\n查体：{exam}\n诊断：{c['dx']}\n"
                f"用药：{meds_note}\n随访：{fu}"
            )
        chief = f"{cc}{dur}"
    report = {"chief_complaint": chief, "diagnosis": c["dx"], "medications": list(meds), "follow_up": fu}
    ask = rng.choice(REPORT_ASK[lang]).format(note=note)
    system = SYSTEM["report_" + lang] if rng.random() < 0.5 else None
    return chat(system, [ask, json.dumps(report, ensure_ascii=False)], lang, "report")


# --------------------------------------------------------------------------
# Multi-turn consultations.  Each symptom has a benign and a red-flag path.

CONSULTS = [
    {
        "en": {
            "open": "I'm {age} and I've had chest pain since {when}. Should I be worried?",
            "ask": [
                "Where exactly is the pain, and does it spread to your arm, neck or jaw?",
                "Is it worse when you press on your chest or move?",
                "Do you feel sweaty, sick or short of breath with it?",
            ],
            "benign": (
                "It's on the left side, sharp, and hurts more when I press on it or twist. I moved furniture yesterday. No sweating or breathlessness.",
                [
                    "A strained chest-wall muscle after heavy lifting",
                    "Inflammation of the rib cartilage (costochondritis)",
                ],
                [
                    "Rest from heavy lifting for a few days",
                    "Paracetamol or ibuprofen as the label directs, if they are safe for you",
                    "A warm compress on the sore area",
                ],
                "the pain becomes a pressure or tightness, spreads to your arm, jaw or back, or comes with sweating, nausea or breathlessness. Get it checked within a few days if it is not easing.",
            ),
            "red": (
                "It feels like a heavy pressure in the middle of my chest spreading to my left arm and jaw. I'm sweating and it has lasted about 20 minutes.",
                "Crushing central chest pain spreading to the arm and jaw with sweating can be a heart attack",
                [
                    "Sit down and rest; do not walk around",
                    "If you are not allergic and no one has told you otherwise, chew one 300 mg aspirin",
                    "Unlock the door and keep your phone with you",
                ],
            ),
        },
        "zh": {
            "open": "我今年{age}岁，从{when}开始胸口疼，需要担心吗？",
            "ask": [
                "具体哪个位置疼？会不会放射到手臂、颈部或下巴？",
                "按压胸口或活动时会不会加重？",
                "有没有出汗、恶心或呼吸困难？",
            ],
            "benign": (
                "左侧胸口刺痛，按压和转身时更疼。昨天搬过家具，没有出汗，也不气短。",
                ["搬重物后胸壁肌肉拉伤", "肋软骨炎"],
                ["几天内避免搬重物", "必要时按说明书服用对乙酰氨基酚或布洛芬（确认适合自己）", "局部热敷"],
                "疼痛变成压榨感或紧缩感、放射到手臂下巴或背部，或伴出汗、恶心、气短；如几天内不见好转也请就诊。",
            ),
            "red": (
                "胸口正中像压了块石头，疼痛放射到左臂和下巴，一直在出汗，已经持续20分钟左右。",
                "胸骨后压榨样疼痛放射到手臂和下巴并伴出汗，可能是心肌梗死",
                ["坐下休息，不要走动", "如无过敏且医生未禁止，可嚼服一片300 mg阿司匹林", "打开门锁，保持电话畅通"],
            ),
        },
    },
    {
        "en": {
            "open": "I've had a headache since {when}. I'm {age}. What could it be?",
            "ask": [
                "Did it start suddenly, reaching full strength within a minute, or build up gradually?",
                "Do you have a fever, stiff neck, rash or any weakness or confusion?",
                "Have you had headaches like this before?",
            ],
            "benign": (
                "It came on slowly after a long day at the screen, feels like a tight band, and I've had similar ones before. No fever or stiff neck.",
                ["A tension-type headache linked to screen time, posture or stress", "Dehydration or a missed meal"],
                [
                    "Drink water and take regular screen breaks",
                    "Paracetamol or ibuprofen as the label directs",
                    "Gentle neck stretches and a regular sleep pattern",
                ],
                "headaches become frequent, wake you from sleep, or come with fever, stiff neck, vision changes, weakness or confusion.",
            ),
            "red": (
                "It hit me suddenly like a thunderclap, the worst headache of my life, and my neck feels stiff. I threw up once.",
                "A sudden, severe 'worst ever' headache with a stiff neck and vomiting can be bleeding around the brain or meningitis",
                [
                    "Do not take more painkillers and wait it out",
                    "Lie still somewhere quiet and have someone stay with you",
                    "Tell the paramedics exactly when it started",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始头痛，可能是什么原因？",
            "ask": [
                "头痛是突然发作、一分钟内达到最重，还是逐渐加重？",
                "有没有发热、脖子发硬、皮疹、肢体无力或意识模糊？",
                "以前有过类似头痛吗？",
            ],
            "benign": (
                "看了一整天电脑后慢慢开始的，像箍了一圈，以前也有过。没有发烧，脖子也不硬。",
                ["与用眼、姿势或压力相关的紧张型头痛", "饮水不足或未按时进餐"],
                ["多喝水，定时离开屏幕休息", "必要时按说明书服用对乙酰氨基酚或布洛芬", "做些颈部拉伸，保持规律作息"],
                "头痛越来越频繁、夜间痛醒，或伴发热、颈部僵硬、视物异常、肢体无力或意识模糊。",
            ),
            "red": (
                "突然像被雷劈一样剧痛，是我这辈子最厉害的头痛，脖子发硬，还吐了一次。",
                "突发的“一生中最剧烈”头痛伴颈部僵硬和呕吐，可能是蛛网膜下腔出血或脑膜炎",
                ["不要继续吃止痛药硬扛", "在安静处平躺，请人陪在身边", "向急救人员说明头痛开始的准确时间"],
            ),
        },
    },
    {
        "en": {
            "open": "My {child} has a fever since {when}. How worried should I be?",
            "ask": [
                "How high is the temperature, and how old is your child?",
                "Are they drinking, passing urine and responding to you normally?",
                "Is there any rash? If so, does it fade when you press a glass on it?",
            ],
            "benign": (
                "38.4 °C, she is 4. She's drinking, playing between doses of paracetamol and has wet nappies. No rash.",
                ["A common viral infection such as a cold", "An ear or throat infection"],
                [
                    "Offer plenty of fluids",
                    "Use paracetamol or ibuprofen at the dose for her age and weight if she is distressed",
                    "Dress her lightly and check on her during the night",
                ],
                "the fever lasts more than 5 days, she stops drinking, has fewer wet nappies, becomes floppy or hard to wake, or a rash appears.",
            ),
            "red": (
                "39.8 °C, he is 2. He's very drowsy, hard to wake, and has purple spots that don't fade under a glass.",
                "A high fever with a rash that does not fade under a glass and drowsiness can be meningococcal sepsis",
                [
                    "Keep your child with you and watch their breathing",
                    "Do not wait for the fever medicine to work",
                    "Take any medicines they have had with you",
                ],
            ),
        },
        "zh": {
            "open": "我家{child_zh}从{when}开始发烧，需要多担心？",
            "ask": [
                "体温多少？孩子几岁？",
                "孩子喝水、排尿和精神反应正常吗？",
                "有没有皮疹？用玻璃杯按压皮疹会不会褪色？",
            ],
            "benign": (
                "38.4℃，4岁。能喝水，退烧后会玩，尿量正常，没有皮疹。",
                ["普通病毒感染，如感冒", "中耳炎或咽喉感染"],
                ["多补充水分", "如孩子明显不适，可按年龄体重服用对乙酰氨基酚或布洛芬", "衣着轻薄，夜间注意观察"],
                "发热超过5天、不肯喝水、尿量减少、精神萎靡难以唤醒，或出现皮疹。",
            ),
            "red": (
                "39.8℃，2岁。一直昏昏欲睡、很难叫醒，身上有按压不褪色的紫红色斑点。",
                "高热伴按压不褪色的皮疹和嗜睡，可能是流行性脑脊髓膜炎引起的败血症",
                ["让孩子待在身边，观察呼吸", "不要等退烧药起效再去医院", "带上孩子已服用的药物"],
            ),
        },
    },
    {
        "en": {
            "open": "I'm {age} and I've been feeling dizzy since {when}. What should I do?",
            "ask": [
                "Does the room spin, or do you feel light-headed as if you might faint?",
                "Does it happen when you stand up or turn your head?",
                "Any new weakness, numbness, facial droop or trouble speaking?",
            ],
            "benign": (
                "It's a light-headed feeling when I stand up quickly, especially on hot days. It passes in a few seconds. No weakness or speech problems.",
                ["A brief drop in blood pressure on standing (postural hypotension)", "Not drinking enough fluids"],
                [
                    "Stand up slowly and sit back down if it starts",
                    "Drink enough fluids, especially in hot weather",
                    "Review any blood pressure tablets with your pharmacist",
                ],
                "you faint, fall, or the dizziness comes with chest pain, palpitations, weakness, numbness or trouble speaking.",
            ),
            "red": (
                "My wife says the left side of my face is drooping, my speech is slurred and my left arm feels weak. It started 30 minutes ago.",
                "Face drooping, arm weakness and slurred speech are warning signs of a stroke",
                [
                    "Note the exact time the symptoms started",
                    "Do not eat or drink anything",
                    "Lie on your side if you feel sick",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始头晕，应该怎么办？",
            "ask": [
                "是天旋地转，还是头重脚轻、像要晕倒？",
                "是不是在站起来或转头时发作？",
                "有没有新出现的肢体无力、麻木、口角歪斜或说话不清？",
            ],
            "benign": (
                "站起来太快时会眼前发黑、头重脚轻，天热时更明显，几秒就过去了。没有无力或说话不清。",
                ["体位性低血压，站起时血压一过性下降", "饮水不足"],
                [
                    "起身时动作放慢，发作时马上坐下",
                    "注意补充水分，天热时尤其要多喝水",
                    "请药师帮忙核对正在服用的降压药",
                ],
                "出现晕厥、跌倒，或头晕伴胸痛、心悸、肢体无力、麻木或说话不清。",
            ),
            "red": (
                "我爱人说我左边脸歪了，说话含糊，左手也没力气，是30分钟前开始的。",
                "口角歪斜、肢体无力和言语含糊是脑卒中（中风）的典型信号",
                ["记下症状开始的准确时间", "不要进食或喝水", "如感到恶心请侧卧"],
            ),
        },
    },
    {
        "en": {
            "open": "I've had stomach pain since {when}. I'm {age}. Is this something serious?",
            "ask": [
                "Where is the pain now, and has it moved?",
                "Do you have fever, vomiting, or blood in your stool or vomit?",
                "Is the pain constant and getting worse, or does it come and go?",
            ],
            "benign": (
                "It's a crampy pain around the middle that comes and goes, with some bloating after meals. No fever, vomiting or blood.",
                ["Indigestion or trapped wind", "A mild stomach upset"],
                [
                    "Eat smaller, plainer meals",
                    "Avoid alcohol, fatty food and late-night eating",
                    "An antacid from the pharmacy can help",
                ],
                "the pain becomes constant or severe, moves to one spot, or comes with fever, vomiting, black stools, blood, or weight loss.",
            ),
            "red": (
                "It started around my belly button and has moved to the lower right. It's constant, worse when I walk, I have a fever and I've vomited twice.",
                "Pain that moves to the lower right abdomen with fever and vomiting can be appendicitis",
                [
                    "Do not eat or drink until you have been assessed",
                    "Do not take strong painkillers or laxatives",
                    "Have someone take you rather than driving yourself",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始肚子疼，严重吗？",
            "ask": [
                "现在哪里疼？疼痛位置有没有转移？",
                "有没有发热、呕吐，或大便、呕吐物带血？",
                "是持续疼痛且越来越重，还是时好时坏？",
            ],
            "benign": (
                "肚脐周围一阵一阵绞着疼，饭后有点胀，没有发烧、呕吐，也没有便血。",
                ["消化不良或胀气", "轻度胃肠不适"],
                ["少食多餐，饮食清淡", "避免饮酒、油腻食物和夜宵", "可在药店购买抗酸药缓解"],
                "疼痛变为持续或剧烈、固定在某一处，或伴发热、呕吐、黑便、便血或体重下降。",
            ),
            "red": (
                "一开始在肚脐周围，后来转到右下腹，一直疼，走路更疼，发烧了，还吐了两次。",
                "转移性右下腹痛伴发热和呕吐，可能是急性阑尾炎",
                ["就诊评估前不要进食进水", "不要自行服用强效止痛药或泻药", "请家人陪同前往，不要自己开车"],
            ),
        },
    },
    {
        "en": {
            "open": "I hurt my lower back since {when}. I'm {age}. When should I see someone?",
            "ask": [
                "Did it start after lifting or a twist?",
                "Do you have numbness around your groin or buttocks, or any change in bladder or bowel control?",
                "Is there weakness in your legs, fever, or a history of cancer?",
            ],
            "benign": (
                "It started after I lifted a heavy box. It's sore across the lower back, no numbness, bladder is fine, legs are strong.",
                ["A strained back muscle or ligament", "Simple mechanical back pain"],
                [
                    "Keep moving gently; avoid bed rest",
                    "Use heat and paracetamol or ibuprofen as the label directs",
                    "Return to normal activities gradually",
                ],
                "the pain is not improving after 2 weeks, keeps you awake at night, or comes with fever, weight loss or leg weakness.",
            ),
            "red": (
                "I now have numbness between my legs and around my bottom, and I'm struggling to pass urine. Both legs feel weak.",
                "Numbness in the groin or saddle area with trouble passing urine can mean pressure on the spinal nerves (cauda equina syndrome)",
                [
                    "Do not wait to see if it improves",
                    "Avoid heavy lifting or twisting",
                    "Tell the emergency team about the bladder symptoms straight away",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始腰疼，什么时候需要看医生？",
            "ask": [
                "是不是搬东西或扭腰后开始的？",
                "会阴部或臀部有没有麻木，大小便控制有没有变化？",
                "双腿有没有无力，是否发热或有肿瘤病史？",
            ],
            "benign": (
                "搬了一个重箱子之后开始的，下腰部酸痛，没有麻木，小便正常，腿也有力气。",
                ["腰部肌肉或韧带拉伤", "单纯的机械性腰痛"],
                ["保持适度活动，不要长期卧床", "可热敷，并按说明书服用对乙酰氨基酚或布洛芬", "逐步恢复日常活动"],
                "2周后仍无好转、夜间痛醒，或伴发热、体重下降、下肢无力。",
            ),
            "red": (
                "现在两腿之间和屁股周围发麻，小便解不出来，两条腿都没力气。",
                "会阴部（鞍区）麻木伴排尿困难，可能是马尾综合征，神经受压",
                ["不要等待观察", "避免搬重物和扭腰", "到急诊后第一时间说明排尿症状"],
            ),
        },
    },
    {
        "en": {
            "open": "I got a rash since {when}. I'm {age}. Is it serious?",
            "ask": [
                "Is it itchy, and did it appear after a new food, medicine, soap or detergent?",
                "Do you have any swelling of the lips, tongue or throat, or trouble breathing?",
                "Do you feel unwell or have a fever?",
            ],
            "benign": (
                "It's itchy red bumps on my arms that appeared after I switched laundry detergent. No swelling of the lips, breathing is fine, no fever.",
                ["Contact dermatitis from the new detergent", "Mild hives (urticaria)"],
                [
                    "Go back to your old detergent and rinse clothes well",
                    "A non-drowsy antihistamine from the pharmacy",
                    "Use a fragrance-free moisturiser",
                ],
                "the rash spreads quickly, blisters, becomes painful, or you develop fever, or any swelling of the face or trouble breathing.",
            ),
            "red": (
                "After eating shrimp, my lips and tongue are swelling, my throat feels tight and I'm wheezing.",
                "Swelling of the lips and tongue with a tight throat and wheeze after a food can be anaphylaxis",
                [
                    "Use an adrenaline auto-injector now if you have one",
                    "Sit upright if breathing is hard, or lie down with legs raised if you feel faint",
                    "Do not stand up suddenly",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始起皮疹，严重吗？",
            "ask": [
                "痒不痒？是不是在吃了新食物、药物或换了肥皂、洗衣液之后出现的？",
                "嘴唇、舌头或喉咙有没有肿，呼吸困难吗？",
                "有没有发热或全身不适？",
            ],
            "benign": (
                "手臂上是发痒的小红疙瘩，换了洗衣液之后出现的。嘴唇不肿，呼吸正常，不发烧。",
                ["新洗衣液引起的接触性皮炎", "轻度荨麻疹"],
                ["换回原来的洗衣液并把衣物漂洗干净", "在药店购买不嗜睡的抗组胺药", "使用无香料的保湿霜"],
                "皮疹迅速扩散、起水疱、疼痛明显，或出现发热、面部肿胀或呼吸困难。",
            ),
            "red": (
                "吃完虾以后嘴唇和舌头肿起来了，喉咙发紧，还有喘鸣声。",
                "进食后嘴唇舌头肿胀、喉咙发紧并出现喘鸣，可能是严重过敏反应（过敏性休克）",
                ["如有肾上腺素自动注射笔请立即使用", "呼吸困难时取坐位，头晕时平躺抬高双腿", "不要突然站起"],
            ),
        },
    },
    {
        "en": {
            "open": "I'm {age} and I've had a sore throat since {when}. Do I need antibiotics?",
            "ask": [
                "Can you swallow your own saliva and fluids?",
                "Is your voice muffled, or is it hard to open your mouth?",
                "Do you have a high fever, or a cough and runny nose as well?",
            ],
            "benign": (
                "I can swallow fine, though it hurts. I also have a runny nose and a cough, and a mild temperature.",
                ["A viral throat infection that usually settles in about a week", "A common cold"],
                [
                    "Warm drinks, honey and throat lozenges",
                    "Paracetamol or ibuprofen as the label directs",
                    "Rest and plenty of fluids",
                ],
                "it lasts more than a week, you have a high fever without a cough, white patches on the tonsils, or you cannot swallow fluids.",
            ),
            "red": (
                "I can't swallow my own saliva, I'm drooling, my voice sounds muffled and breathing is getting noisy.",
                "Being unable to swallow saliva with drooling, a muffled voice and noisy breathing can mean a throat abscess or swelling of the epiglottis that can block the airway",
                [
                    "Sit upright and stay calm",
                    "Do not lie flat or try to look down your own throat",
                    "Do not eat or drink",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始嗓子疼，需要吃抗生素吗？",
            "ask": ["能咽下口水和水吗？", "说话声音发闷吗？张嘴困难吗？", "有没有高热，或同时有咳嗽、流涕？"],
            "benign": (
                "能咽下去，只是疼。还有流鼻涕、咳嗽，体温有点高。",
                ["病毒性咽炎，一般一周左右自愈", "普通感冒"],
                ["温水、蜂蜜和润喉片", "必要时按说明书服用对乙酰氨基酚或布洛芬", "注意休息、多喝水"],
                "超过一周不好转、高热但不咳嗽、扁桃体有白色脓点，或无法咽下液体。",
            ),
            "red": (
                "连口水都咽不下去，一直流口水，说话声音发闷，呼吸声越来越响。",
                "不能吞咽口水、流涎、声音发闷并出现喉鸣，可能是咽部脓肿或会厌炎，有气道阻塞风险",
                ["保持坐位，尽量放松", "不要平躺，也不要自己用东西压舌头看喉咙", "不要进食进水"],
            ),
        },
    },
    {
        "en": {
            "open": "I've had diarrhoea since {when}. I'm {age}. What should I do?",
            "ask": [
                "How many times a day, and is there any blood or black stool?",
                "Are you able to keep fluids down and passing urine normally?",
                "Do you have a high fever or severe abdominal pain?",
            ],
            "benign": (
                "About four watery stools a day, no blood. I'm drinking fine and passing urine. Mild cramps, no fever.",
                ["Viral gastroenteritis", "Something you ate"],
                [
                    "Sip oral rehydration solution or water often",
                    "Eat bland food when you feel able",
                    "Wash hands well to avoid spreading it",
                ],
                "it lasts more than 3 days, there is blood or black stool, you cannot keep fluids down, you stop passing urine, or you feel very dizzy.",
            ),
            "red": (
                "There's a lot of blood in the stool, I feel faint when I stand and I haven't passed urine since this morning.",
                "Bloody diarrhoea with fainting and no urine for many hours can mean serious bleeding or dangerous dehydration",
                [
                    "Lie down and have someone stay with you",
                    "Keep sipping fluids if you are not vomiting",
                    "Bring a list of your medicines",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始拉肚子，该怎么办？",
            "ask": ["一天几次？有没有便血或黑便？", "能正常喝水吗？小便正常吗？", "有没有高热或剧烈腹痛？"],
            "benign": (
                "一天四次左右水样便，没有血。能喝水，小便正常。肚子有点绞痛，不发烧。",
                ["病毒性胃肠炎", "饮食不洁"],
                ["少量多次喝口服补液盐或温水", "能进食时吃清淡食物", "勤洗手，避免传染家人"],
                "超过3天不缓解、出现便血或黑便、喝水就吐、长时间无尿，或头晕明显。",
            ),
            "red": (
                "大便里有很多血，一站起来就要晕倒，从早上到现在都没有小便。",
                "便血伴晕厥、长时间无尿，可能是严重出血或重度脱水",
                ["平躺，请人陪在身边", "如不呕吐，继续小口喝水", "带上正在服用的药物清单"],
            ),
        },
    },
    {
        "en": {
            "open": "My heart has been racing on and off since {when}. I'm {age}. Is that dangerous?",
            "ask": [
                "How long do the episodes last, and is the beat regular or irregular?",
                "Have you fainted, or had chest pain or breathlessness with them?",
                "Any triggers such as coffee, energy drinks, alcohol or stress?",
            ],
            "benign": (
                "A few seconds of a pounding heartbeat, usually after my third coffee. No fainting, chest pain or breathlessness.",
                ["Extra heartbeats (ectopic beats) triggered by caffeine", "Stress or lack of sleep"],
                [
                    "Cut back on coffee and energy drinks",
                    "Limit alcohol and get regular sleep",
                    "Note when episodes happen and how long they last",
                ],
                "episodes become longer or more frequent, the beat feels irregular, or you have chest pain, breathlessness or fainting. A routine ECG with your doctor is reasonable.",
            ),
            "red": (
                "I fainted at work an hour ago, and now my heart is racing with chest pain and I'm short of breath.",
                "Palpitations with fainting, chest pain and breathlessness can be a dangerous heart rhythm",
                [
                    "Sit or lie down and do not drive",
                    "Have someone stay with you",
                    "Keep a list of your medicines ready",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始时不时心跳很快，危险吗？",
            "ask": [
                "每次持续多久？心跳规律还是不规律？",
                "有没有晕倒，或伴胸痛、气短？",
                "有没有诱因，比如咖啡、功能饮料、饮酒或压力？",
            ],
            "benign": (
                "每次几秒钟心里咚咚跳，一般是喝了第三杯咖啡后。没有晕倒、胸痛或气短。",
                ["咖啡因诱发的早搏", "压力大或睡眠不足"],
                ["减少咖啡和功能饮料", "限制饮酒，规律作息", "记录每次发作的时间和持续时长"],
                "发作变长变频、心跳明显不规律，或伴胸痛、气短、晕厥；也可以找医生做一次常规心电图。",
            ),
            "red": (
                "一小时前在单位晕倒了，现在心跳很快，胸口疼，还喘不上气。",
                "心悸伴晕厥、胸痛和气短，可能是危险的心律失常",
                ["坐下或躺下，不要开车", "请人陪在身边", "准备好正在服用的药物清单"],
            ),
        },
    },
    {
        "en": {
            "open": "It burns when I pee since {when}. I'm {age}. What should I do?",
            "ask": [
                "Do you have fever, chills, or pain in your back or side under the ribs?",
                "Any vomiting, or are you pregnant?",
                "Is there blood in your urine?",
            ],
            "benign": (
                "Just burning and needing to go often. No fever, no back pain, no vomiting, not pregnant.",
                ["A bladder infection (cystitis)", "Irritation after dehydration"],
                [
                    "Drink plenty of water",
                    "Paracetamol for discomfort",
                    "See a pharmacist or clinician, who may test your urine and offer a short antibiotic course",
                ],
                "symptoms last more than 2 days, come back often, or you develop fever, back or side pain, vomiting, or blood in the urine.",
            ),
            "red": (
                "I now have a fever of 39 °C with shaking chills, pain in my right side under the ribs, and I've vomited.",
                "Burning urine with high fever, chills, flank pain and vomiting can be a kidney infection that needs same-day treatment",
                [
                    "Keep drinking fluids if you can",
                    "Do not wait until tomorrow",
                    "Tell the clinician about any allergies to antibiotics",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始小便时烧灼痛，该怎么办？",
            "ask": ["有没有发热、寒战，或腰部、肋下疼痛？", "有没有呕吐？是否怀孕？", "尿里有没有血？"],
            "benign": (
                "只是小便烧灼、次数多。不发烧，腰不疼，不呕吐，没有怀孕。",
                ["膀胱炎（下尿路感染）", "饮水少引起的刺激"],
                ["多喝水", "必要时服用对乙酰氨基酚缓解不适", "到药店或门诊就诊，医生可能会查尿常规并开短疗程抗生素"],
                "症状超过2天、反复发作，或出现发热、腰痛、呕吐、血尿。",
            ),
            "red": (
                "现在发烧39℃，寒战，右侧肋下腰部疼，还吐了。",
                "尿痛伴高热、寒战、腰痛和呕吐，可能是肾盂肾炎，需要当天治疗",
                ["能喝水就继续喝", "不要拖到第二天", "告诉医生自己对哪些抗生素过敏"],
            ),
        },
    },
    {
        "en": {
            "open": "One of my legs has been swollen since {when}. I'm {age}. Should I get it checked?",
            "ask": [
                "Is it one leg or both, and is the calf painful, red or warm?",
                "Have you recently had a long flight, surgery or been immobile?",
                "Any chest pain, breathlessness or coughing up blood?",
            ],
            "benign": (
                "Actually it's both ankles, a bit puffy by evening after standing at work all day. No pain or redness, no breathlessness.",
                ["Fluid collecting in the ankles after long standing", "A side effect of some blood pressure tablets"],
                [
                    "Raise your legs when sitting",
                    "Walk regularly and avoid standing still for long",
                    "Ask your pharmacist whether any of your medicines can cause ankle swelling",
                ],
                "the swelling affects only one leg, becomes painful, red or warm, or you get breathless or chest pain. Swelling that keeps increasing should be checked within a week.",
            ),
            "red": (
                "It's just my left calf: swollen, red and painful after a 12-hour flight, and since this morning I'm breathless with sharp chest pain.",
                "A swollen painful calf after a long flight with new breathlessness and chest pain can be a blood clot that has travelled to the lungs",
                ["Do not massage the leg", "Sit upright and rest", "Tell the team about your recent flight"],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始一条腿肿，需要检查吗？",
            "ask": [
                "是一条腿还是两条腿？小腿有没有疼、红、热？",
                "最近有没有长途飞行、手术或长期卧床？",
                "有没有胸痛、气短或咳血？",
            ],
            "benign": (
                "其实是两个脚踝都有点肿，站了一天班到晚上更明显。不疼不红，也不气短。",
                ["久站后下肢液体积聚", "某些降压药的副作用"],
                ["坐着时抬高双腿", "经常走动，避免长时间站立不动", "请药师帮忙看看所用药物是否会引起脚踝水肿"],
                "只有一条腿肿、出现疼痛红热，或出现气短、胸痛；水肿持续加重应在一周内就诊。",
            ),
            "red": (
                "只有左小腿肿，又红又疼，是坐了12小时飞机之后开始的，今天早上起还气短、胸口刺痛。",
                "长途飞行后单侧小腿肿痛，新出现气短和胸痛，可能是下肢血栓脱落导致的肺栓塞",
                ["不要按摩患肢", "保持坐位休息", "向医生说明近期的长途飞行"],
            ),
        },
    },
    {
        "en": {
            "open": "My eye has been red since {when}. I'm {age}. Do I need to see a doctor?",
            "ask": [
                "Is your vision blurred, or do you see halos around lights?",
                "Is the eye painful (not just gritty), or sensitive to light?",
                "Do you wear contact lenses, and is there sticky discharge?",
            ],
            "benign": (
                "Both eyes are itchy and watery, worse outdoors in spring. Vision is normal, no real pain, I don't wear contacts.",
                ["Allergic conjunctivitis", "Irritation from pollen or dust"],
                [
                    "Cool compresses and avoid rubbing",
                    "Antihistamine eye drops from the pharmacy",
                    "Wear glasses outdoors on high-pollen days",
                ],
                "your vision changes, the eye becomes painful or light-sensitive, or you wear contact lenses and the eye is red.",
            ),
            "red": (
                "It's one eye, very painful, my vision is blurred with halos around lights, and I feel sick.",
                "A painful red eye with blurred vision, halos and nausea can be acute angle-closure glaucoma, which can damage sight within hours",
                [
                    "Do not wait for it to settle",
                    "Do not use leftover eye drops",
                    "Have someone take you to an emergency eye service",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始眼睛发红，需要看医生吗？",
            "ask": [
                "视力模糊吗？看灯光周围有没有彩虹样光晕？",
                "眼睛疼（不只是异物感）或怕光吗？",
                "是否佩戴隐形眼镜？有没有黏稠分泌物？",
            ],
            "benign": (
                "两只眼睛都痒、流泪，春天出门更明显。视力正常，不怎么疼，不戴隐形眼镜。",
                ["过敏性结膜炎", "花粉或灰尘刺激"],
                ["冷敷，避免揉眼", "在药店购买抗过敏滴眼液", "花粉多时外出佩戴眼镜"],
                "视力下降、眼痛明显或怕光，或者佩戴隐形眼镜且眼红。",
            ),
            "red": (
                "只有一只眼，非常疼，看东西模糊，灯光周围有光晕，还恶心。",
                "单眼剧痛、视物模糊、虹视伴恶心，可能是急性闭角型青光眼，数小时内即可损伤视力",
                ["不要等待自行缓解", "不要使用以前剩下的眼药水", "请家人陪同前往眼科急诊"],
            ),
        },
    },
    {
        "en": {
            "open": "I've been short of breath since {when}. I'm {age}. Is this urgent?",
            "ask": [
                "Can you speak in full sentences, and are your lips or fingertips bluish?",
                "Do you have asthma or another lung or heart condition?",
                "Any chest pain, fever or coughing up blood?",
            ],
            "benign": (
                "I can talk normally. It's a stuffy feeling with a cold and a cough, only a bit breathless on the stairs. No chest pain.",
                ["A chest cold (viral bronchitis)", "A blocked nose making breathing feel harder"],
                [
                    "Rest and drink plenty of fluids",
                    "Steam inhalation or saline nasal spray",
                    "Paracetamol for aches as the label directs",
                ],
                "you become breathless at rest, cannot finish sentences, have chest pain, a high fever lasting more than 3 days, or cough up blood.",
            ),
            "red": (
                "I can't finish a sentence without stopping for breath, and my lips look blue.",
                "Being unable to finish sentences with bluish lips means your body may not be getting enough oxygen",
                [
                    "Sit upright, leaning slightly forward",
                    "Use your reliever inhaler if you have one",
                    "Loosen tight clothing and stay calm",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始气短，紧急吗？",
            "ask": [
                "能完整说出一句话吗？嘴唇或指尖有没有发紫？",
                "有没有哮喘或其他心肺疾病？",
                "有没有胸痛、发热或咳血？",
            ],
            "benign": (
                "说话正常，就是感冒后鼻塞、咳嗽，上楼时有点喘。没有胸痛。",
                ["病毒性支气管炎（胸部感冒）", "鼻塞导致呼吸不畅的感觉"],
                ["注意休息、多喝水", "蒸汽吸入或生理盐水洗鼻", "全身酸痛时按说明书服用对乙酰氨基酚"],
                "静息时也气短、说话不能成句、出现胸痛、高热超过3天或咳血。",
            ),
            "red": (
                "说一句话要停下来喘好几次，嘴唇发紫。",
                "说话不能成句、嘴唇发紫，提示身体严重缺氧",
                ["保持坐位，身体稍前倾", "如有急救吸入剂请立即使用", "松开过紧的衣物，尽量保持冷静"],
            ),
        },
    },
    {
        "en": {
            "open": "I've been feeling really low since {when}. I'm {age}. What can I do?",
            "ask": [
                "How are you sleeping and eating, and can you still enjoy anything?",
                "Is anything in particular causing stress right now?",
                "Have you had any thoughts of harming yourself or ending your life?",
            ],
            "benign": (
                "I'm sleeping badly and stressed about work deadlines, but I still enjoy seeing friends at weekends. No thoughts of harming myself.",
                ["Stress and low mood related to work pressure", "Poor sleep making mood worse"],
                [
                    "Keep a regular sleep routine and get daylight and exercise",
                    "Talk to someone you trust about how you feel",
                    "Limit alcohol, which worsens mood and sleep",
                ],
                "low mood lasts more than 2 weeks, stops you doing daily tasks, or you ever have thoughts of harming yourself. Your doctor can offer talking therapy or other support.",
            ),
            "red": (
                "Honestly I've been thinking about ending my life and I've started planning how.",
                "Thoughts of ending your life with a plan are a medical emergency, and you deserve immediate support",
                [
                    "Stay with someone you trust or ask them to come to you",
                    "Move away from anything you could use to harm yourself",
                    "In the US you can also call or text 988, the Suicide and Crisis Lifeline",
                ],
            ),
        },
        "zh": {
            "open": "我{age}岁，从{when}开始情绪一直很低落，我该怎么办？",
            "ask": [
                "睡眠和饮食怎么样？还能从什么事情中感到开心吗？",
                "最近有没有特别的压力来源？",
                "有没有伤害自己或结束生命的想法？",
            ],
            "benign": (
                "睡不好，工作截止日期压力很大，但周末和朋友见面还是开心的。没有伤害自己的想法。",
                ["工作压力引起的情绪低落", "睡眠不足加重情绪问题"],
                ["保持规律作息，多晒太阳、适量运动", "和信任的人聊聊自己的感受", "少喝酒，酒精会加重情绪和睡眠问题"],
                "情绪低落超过2周、影响日常生活，或出现任何伤害自己的念头。医生可以提供心理治疗等帮助。",
            ),
            "red": (
                "说实话，我一直在想结束自己的生命，已经开始计划怎么做了。",
                "有结束生命的想法和计划属于医疗紧急情况，你值得立即得到帮助",
                [
                    "和信任的人待在一起，或请他们马上过来",
                    "远离任何可能用来伤害自己的物品",
                    "也可以拨打当地的心理危机干预热线",
                ],
            ),
        },
    },
]

WHEN_EN = ["this morning", "yesterday", "last night", "two days ago", "three days ago", "last week", "the weekend"]
WHEN_ZH = ["今天早上", "昨天", "昨晚", "两天前", "三天前", "上周", "周末"]
CHILD_EN = ["daughter", "son", "little one"]
CHILD_ZH = ["孩子", "女儿", "儿子"]


def consult_row(rng, sym, lang, path):
    s = sym[lang]
    age = rng.randint(22, 78)
    if lang == "en":
        opener = s["open"].format(age=age, when=rng.choice(WHEN_EN), child=rng.choice(CHILD_EN))
        intro = rng.choice(
            ["I'm sorry you're dealing with this.", "Thanks for reaching out.", "Let's work through this together."]
        )
        a1 = intro + " A few questions first:\n" + "\n".join(f"{i + 1}. {q}" for i, q in enumerate(s["ask"]))
    else:
        opener = s["open"].format(age=age, when=rng.choice(WHEN_ZH), child_zh=rng.choice(CHILD_ZH))
        intro = rng.choice(["理解您的担心。", "感谢您的咨询。", "我们一起来看看。"])
        a1 = intro + "先了解几个情况：\n" + "\n".join(f"{i + 1}. {q}" for i, q in enumerate(s["ask"]))
    if path == "benign":
        u2, causes, todo, see = s["benign"]
        if lang == "en":
            a2 = (
                "Thanks, that helps.\nLikely causes: "
                + "; ".join(causes)
                + ".\nWhat you can do now:\n"
                + "\n".join("- " + t for t in todo)
                + "\nSee a clinician if "
                + see
                + "\n"
                + DISCLAIMER["en"]
            )
        else:
            a2 = (
                "谢谢您的补充。\n可能原因："
                + "；".join(causes)
                + "。\n目前可以：\n"
                + "\n".join("- " + t for t in todo)
                + "\n出现以下情况请及时就医："
                + see
                + "\n"
                + DISCLAIMER["zh"]
            )
    else:
        u2, why, meanwhile = s["red"]
        if lang == "en":
            a2 = (
                f"Urgent: {why}. Please call emergency services (911 in the US, 120 in mainland China) or go to the nearest emergency department now.\n"
                "While you wait:\n" + "\n".join("- " + t for t in meanwhile) + "\n" + DISCLAIMER["en"]
            )
        else:
            a2 = (
                f"紧急：{why}。请立即拨打120或前往最近的急诊科。\n"
                "等待期间：\n" + "\n".join("- " + t for t in meanwhile) + "\n" + DISCLAIMER["zh"]
            )
    system = SYSTEM["consult_" + lang] if rng.random() < 0.6 else None
    return chat(system, [opener, a1, u2, a2], lang, "consult_" + path)


def consult_rows(rng):
    rows = []
    for sym in CONSULTS:
        for lang in ("en", "zh"):
            for path in ("benign", "red"):
                rows.append(consult_row(rng, sym, lang, path))
    return rows


# --------------------------------------------------------------------------
# Glossary: (en term, zh term, en definition, zh definition, en when, zh when)

GLOSSARY = [
    (
        "tachycardia",
        "心动过速",
        "Tachycardia means a resting heart rate above 100 beats per minute in an adult.",
        "心动过速是指成人静息心率超过每分钟100次。",
        "if a fast heartbeat comes with chest pain, fainting or breathlessness, or lasts more than a few minutes at rest",
        "心跳快伴胸痛、晕厥或气短，或静息时持续数分钟以上",
    ),
    (
        "bradycardia",
        "心动过缓",
        "Bradycardia means a resting heart rate below 60 beats per minute; it can be normal in fit athletes.",
        "心动过缓是指静息心率低于每分钟60次，运动员可属正常。",
        "if a slow pulse comes with dizziness, fainting, breathlessness or tiredness",
        "心率慢伴头晕、晕厥、气短或明显乏力",
    ),
    (
        "hypertension",
        "高血压",
        "Hypertension is blood pressure that stays at or above 140/90 mmHg on repeated clinic readings.",
        "高血压是指多次诊室测量血压持续不低于140/90 mmHg。",
        "if readings are repeatedly high, or above 180/120 mmHg with headache, chest pain or vision changes (urgent)",
        "多次测量偏高；若超过180/120 mmHg并伴头痛、胸痛或视物模糊需立即就诊",
    ),
    (
        "hypotension",
        "低血压",
        "Hypotension is low blood pressure, usually below 90/60 mmHg.",
        "低血压通常指血压低于90/60 mmHg。",
        "if low blood pressure causes fainting, confusion, cold clammy skin or fast breathing",
        "低血压导致晕厥、意识模糊、皮肤湿冷或呼吸急促",
    ),
    (
        "dyspnea",
        "呼吸困难",
        "Dyspnea is the feeling of being short of breath or unable to get enough air.",
        "呼吸困难是指感觉气不够用、喘不上气。",
        "if breathlessness comes on suddenly, happens at rest, or comes with chest pain or blue lips (emergency)",
        "突发气短、静息时气短，或伴胸痛、口唇发紫（需急诊）",
    ),
    (
        "hypoxemia",
        "低氧血症",
        "Hypoxemia means too little oxygen in the blood, often an oxygen saturation (SpO2) below 92% on room air.",
        "低氧血症是指血液中氧含量过低，通常指未吸氧时血氧饱和度低于92%。",
        "if a home oximeter reads below 92% or you are breathless or confused",
        "家用血氧仪读数低于92%，或出现气短、意识模糊",
    ),
    (
        "fever",
        "发热",
        "A fever is a body temperature of 38.0 °C or higher.",
        "发热是指体温达到或超过38.0℃。",
        "if fever lasts more than 3 days, is above 40 °C, or comes with a stiff neck, rash or confusion",
        "发热超过3天、体温超过40℃，或伴颈部僵硬、皮疹、意识模糊",
    ),
    (
        "syncope",
        "晕厥",
        "Syncope is a brief loss of consciousness caused by a temporary drop in blood flow to the brain.",
        "晕厥是指大脑一过性供血不足导致的短暂意识丧失。",
        "after any first faint, and urgently if it happened during exercise or with chest pain or palpitations",
        "首次晕厥都应就诊；运动中晕厥或伴胸痛、心悸时需立即就诊",
    ),
    (
        "edema",
        "水肿",
        "Edema is swelling caused by fluid trapped in the body's tissues, often in the ankles.",
        "水肿是指液体积聚在组织中引起的肿胀，常见于脚踝。",
        "if swelling is in one leg only, is painful, or comes with breathlessness",
        "单侧下肢水肿、伴疼痛，或伴气短",
    ),
    (
        "hematuria",
        "血尿",
        "Hematuria means blood in the urine, which may be visible or found only on testing.",
        "血尿是指尿中带血，可肉眼可见，也可仅在化验中发现。",
        "for any visible blood in the urine, even once",
        "任何一次肉眼可见的血尿",
    ),
    (
        "hemoptysis",
        "咯血",
        "Hemoptysis means coughing up blood or blood-streaked sputum.",
        "咯血是指咳出血液或带血丝的痰。",
        "for any coughed-up blood; urgently if it is more than a few streaks or you are breathless",
        "任何咯血都应就诊；量多或伴气短时需立即就诊",
    ),
    (
        "melena",
        "黑便",
        "Melena is black, tarry, sticky stool caused by bleeding high in the digestive tract.",
        "黑便是指上消化道出血引起的柏油样黑色黏稠大便。",
        "straight away, especially with dizziness or fainting",
        "应立即就诊，尤其伴头晕或晕厥时",
    ),
    (
        "jaundice",
        "黄疸",
        "Jaundice is yellowing of the skin and the whites of the eyes caused by raised bilirubin.",
        "黄疸是指胆红素升高引起的皮肤和巩膜发黄。",
        "for any new jaundice in an adult",
        "成人新出现的黄疸都应就诊",
    ),
    (
        "anemia",
        "贫血",
        "Anemia means a low haemoglobin level, below about 130 g/L in men and 120 g/L in women.",
        "贫血是指血红蛋白偏低，男性低于约130 g/L，女性低于约120 g/L。",
        "if you are tired, breathless or pale, or have black stools or heavy periods",
        "出现乏力、气短、面色苍白，或伴黑便、月经量过多",
    ),
    (
        "hyperglycemia",
        "高血糖",
        "Hyperglycemia is a high blood glucose level, for example a fasting value of 7.0 mmol/L or more.",
        "高血糖是指血糖偏高，例如空腹血糖不低于7.0 mmol/L。",
        "if you have thirst, frequent urination and weight loss, or vomiting and drowsiness (urgent)",
        "出现口渴、多尿和体重下降；伴呕吐、嗜睡时需立即就诊",
    ),
    (
        "hypoglycemia",
        "低血糖",
        "Hypoglycemia is a blood glucose level below 4.0 mmol/L in a person treated for diabetes.",
        "低血糖是指糖尿病治疗者血糖低于4.0 mmol/L。",
        "if episodes keep happening, or urgently if the person is confused or cannot swallow",
        "反复发作时就诊；出现意识模糊或无法吞咽时立即急诊",
    ),
    (
        "HbA1c",
        "糖化血红蛋白",
        "HbA1c reflects average blood glucose over the past 2-3 months; 6.5% or higher supports a diagnosis of diabetes.",
        "糖化血红蛋白反映过去2-3个月的平均血糖，不低于6.5%支持糖尿病诊断。",
        "to discuss any result of 6.5% or higher, or a rising trend",
        "结果不低于6.5%或持续升高时应就诊讨论",
    ),
    (
        "body mass index",
        "体重指数",
        "Body mass index (BMI) is weight in kilograms divided by height in metres squared; 18.5-24.9 is the usual healthy range.",
        "体重指数（BMI）等于体重（千克）除以身高（米）的平方，一般18.5-24.9为正常范围。",
        "for help with weight if BMI is 30 or more, or below 18.5 with unplanned weight loss",
        "BMI不低于30，或低于18.5且体重非计划性下降时",
    ),
    (
        "arrhythmia",
        "心律失常",
        "An arrhythmia is any abnormal heart rhythm: too fast, too slow or irregular.",
        "心律失常是指心跳过快、过慢或节律不齐。",
        "if palpitations come with fainting, chest pain or breathlessness (urgent), or keep recurring",
        "心悸伴晕厥、胸痛或气短需立即就诊，反复发作也应就诊",
    ),
    (
        "atrial fibrillation",
        "心房颤动",
        "Atrial fibrillation is an irregular, often fast heart rhythm that raises the risk of stroke.",
        "心房颤动是一种不规则且常偏快的心律，会增加卒中风险。",
        "for any irregular pulse, and urgently with chest pain, fainting or stroke symptoms",
        "脉搏不齐应就诊；伴胸痛、晕厥或卒中症状需立即急诊",
    ),
    (
        "angina",
        "心绞痛",
        "Angina is chest pain or tightness caused by reduced blood flow to the heart muscle, typically on exertion.",
        "心绞痛是指心肌供血不足引起的胸痛或胸闷，常在活动时出现。",
        "for any new exertional chest pain; call emergency services if pain lasts over 10 minutes at rest",
        "新出现活动后胸痛应就诊；静息时胸痛超过10分钟立即拨打120",
    ),
    (
        "myocardial infarction",
        "心肌梗死",
        "A myocardial infarction (heart attack) is death of heart muscle caused by a blocked coronary artery.",
        "心肌梗死是冠状动脉阻塞导致的心肌坏死。",
        "immediately: call emergency services for crushing chest pain, sweating or pain spreading to the arm or jaw",
        "出现压榨性胸痛、出汗或疼痛放射到手臂下巴时立即拨打120",
    ),
    (
        "stroke",
        "脑卒中",
        "A stroke is brain damage caused by a blocked or burst blood vessel in the brain.",
        "脑卒中是脑血管阻塞或破裂导致的脑损伤。",
        "immediately for face drooping, arm weakness or speech difficulty: call emergency services and note the time",
        "出现口角歪斜、手臂无力或言语不清立即拨打120并记下时间",
    ),
    (
        "transient ischemic attack",
        "短暂性脑缺血发作",
        "A transient ischemic attack (TIA) is a brief stroke-like episode that resolves within 24 hours.",
        "短暂性脑缺血发作是24小时内完全缓解的类似卒中的短暂发作。",
        "the same day, even if symptoms have gone, because stroke risk is high in the following days",
        "即使症状已消失也应当天就诊，之后几天卒中风险很高",
    ),
    (
        "deep vein thrombosis",
        "深静脉血栓",
        "Deep vein thrombosis (DVT) is a blood clot in a deep vein, usually in the calf or thigh.",
        "深静脉血栓是深部静脉内形成的血凝块，多见于小腿或大腿。",
        "the same day for a swollen painful calf, and immediately if you become breathless",
        "小腿肿痛应当天就诊，出现气短立即急诊",
    ),
    (
        "pulmonary embolism",
        "肺栓塞",
        "A pulmonary embolism is a blood clot that blocks an artery in the lungs.",
        "肺栓塞是血栓堵塞肺动脉。",
        "immediately for sudden breathlessness, sharp chest pain or coughing up blood",
        "突发气短、胸部锐痛或咯血时立即急诊",
    ),
    (
        "pneumonia",
        "肺炎",
        "Pneumonia is an infection that inflames the air sacs of the lungs.",
        "肺炎是肺泡的感染性炎症。",
        "if cough comes with fever and breathlessness, and urgently if lips turn blue or the person is confused",
        "咳嗽伴发热气短时就诊；口唇发紫或意识模糊时立即急诊",
    ),
    (
        "sepsis",
        "脓毒症",
        "Sepsis is a life-threatening reaction to an infection that damages the body's own organs.",
        "脓毒症是感染引起的危及生命的器官功能损害。",
        "immediately for infection with confusion, very fast breathing, mottled skin or no urine all day",
        "感染伴意识模糊、呼吸很快、皮肤花斑或全天无尿时立即急诊",
    ),
    (
        "anaphylaxis",
        "严重过敏反应",
        "Anaphylaxis is a severe, rapid allergic reaction affecting breathing or circulation.",
        "严重过敏反应是快速发生、影响呼吸或循环的重度过敏。",
        "immediately: use adrenaline if available and call emergency services",
        "立即使用肾上腺素（如有）并拨打120",
    ),
    (
        "dysuria",
        "尿痛",
        "Dysuria means pain or burning when passing urine.",
        "尿痛是指排尿时疼痛或烧灼感。",
        "if it lasts more than 2 days, or with fever, back pain or blood in the urine",
        "持续超过2天，或伴发热、腰痛、血尿",
    ),
    (
        "dysphagia",
        "吞咽困难",
        "Dysphagia is difficulty swallowing food or liquid.",
        "吞咽困难是指进食或饮水时咽下困难。",
        "for any persistent swallowing difficulty, and urgently if you cannot swallow saliva",
        "吞咽困难持续存在应就诊；无法吞咽口水时立即就诊",
    ),
    (
        "vertigo",
        "眩晕",
        "Vertigo is a false sense that you or your surroundings are spinning.",
        "眩晕是感觉自己或周围环境在旋转的错觉。",
        "urgently if vertigo comes with weakness, slurred speech, double vision or a severe headache",
        "眩晕伴肢体无力、言语不清、复视或剧烈头痛时立即就诊",
    ),
    (
        "migraine",
        "偏头痛",
        "A migraine is a recurrent, often one-sided throbbing headache with nausea or sensitivity to light.",
        "偏头痛是反复发作、常为单侧的搏动性头痛，可伴恶心或畏光。",
        "if headaches change pattern, or immediately for a sudden severe headache",
        "头痛规律改变时就诊；突发剧烈头痛立即急诊",
    ),
    (
        "cellulitis",
        "蜂窝织炎",
        "Cellulitis is a bacterial infection of the deeper layers of the skin.",
        "蜂窝织炎是皮肤深层的细菌感染。",
        "the same day for spreading redness, and urgently with fever or feeling very unwell",
        "红肿扩散应当天就诊，伴发热或全身不适时立即就诊",
    ),
    (
        "conjunctivitis",
        "结膜炎",
        "Conjunctivitis is inflammation of the thin layer covering the white of the eye.",
        "结膜炎是覆盖眼白的结膜发生炎症。",
        "if the eye is painful, light-sensitive or vision is reduced, or you wear contact lenses",
        "眼痛、畏光、视力下降，或佩戴隐形眼镜时",
    ),
    (
        "osteoarthritis",
        "骨关节炎",
        "Osteoarthritis is wear of the joint cartilage causing pain and stiffness.",
        "骨关节炎是关节软骨磨损引起的疼痛和僵硬。",
        "if pain limits daily activities or a joint becomes hot and swollen",
        "疼痛影响日常活动，或关节红肿发热时",
    ),
    (
        "gout",
        "痛风",
        "Gout is joint inflammation caused by uric acid crystals, often in the big toe.",
        "痛风是尿酸盐结晶引起的关节炎，常见于第一跖趾关节。",
        "for a hot swollen joint, urgently if you also have a fever",
        "关节红肿热痛应就诊，伴发热时立即就诊",
    ),
    (
        "hypothyroidism",
        "甲状腺功能减退",
        "Hypothyroidism means the thyroid gland makes too little thyroid hormone.",
        "甲状腺功能减退是甲状腺分泌的甲状腺激素不足。",
        "if you have tiredness, weight gain, feeling cold and constipation together",
        "同时出现乏力、体重增加、怕冷和便秘时",
    ),
]


def term_rows(rng):
    rows = []
    for en, zh, def_en, def_zh, when_en, when_zh in GLOSSARY:
        q = rng.choice(
            [f"What does '{en}' mean?", f"Explain the medical term {en} in plain language.", f"What is {en}?"]
        )
        a = f"{def_en}\nWhen to see a clinician: {when_en}."
        rows.append(chat(None, [q, a], "en", "term"))
        q = rng.choice([f"“{zh}”是什么意思？", f"请用通俗的话解释医学术语“{zh}”。", f"什么是{zh}？"])
        a = f"{def_zh}\n英文术语：{en}\n何时就医：{when_zh}。"
        rows.append(chat(None, [q, a], "zh", "term"))
    return rows


def build_rows(rng, n, zh_share, pool):
    fixed = fill_unique(rng, consult_rows(rng) + term_rows(rng), pool)
    n_zh = round(n * zh_share) - sum(r.lang == "zh" for r in fixed)
    n_en = n - len(fixed) - n_zh
    en = fill_balanced(rng, [(1, lambda r: report_row(r, "en"))], n_en, pool)
    zh = fill_balanced(rng, [(1, lambda r: report_row(r, "zh"))], n_zh, pool)
    return fixed + en + zh


# --------------------------------------------------------------------------
# Planted defects specific to medical

MISSPELLINGS = [
    ("pneumonia", "pnuemonia"),
    ("hypertension", "hypertenstion"),
    ("amoxicillin", "amoxicilin"),
    ("metformin", "metfromin"),
    ("diabetes mellitus", "diabetis mellitus"),
    ("ibuprofen", "ibuprofin"),
    ("paracetamol", "paracetamole"),
    ("salbutamol", "salbutomol"),
    ("bronchitis", "bronchitus"),
    ("高血压", "高血亚"),
    ("糖尿病", "糖尿并"),
    ("阿莫西林", "阿莫西琳"),
    ("布洛芬", "布洛分"),
    ("二甲双胍", "二甲双瓜"),
    ("哮喘", "哮踹"),
]


def out_of_range_rows(rng):
    by_dx = {c["en"]["dx"]: c for c in CONDITIONS}
    specs = [
        (
            "en",
            "Community-acquired pneumonia",
            "temperature 47.5 °C, heart rate 104 bpm, blood pressure 118/74 mmHg, SpO2 93%",
            "body temperature",
            47.5,
            "°C",
            "temperature 47.5 °C",
        ),
        (
            "en",
            "Atrial fibrillation",
            "T 36.8 °C, HR 310, BP 132/84, SpO2 97%",
            "resting heart rate",
            310,
            "bpm",
            "HR 310",
        ),
        (
            "en",
            "Asthma exacerbation",
            "temperature 36.9 °C, heart rate 102 bpm, blood pressure 126/80 mmHg, SpO2 135%",
            "oxygen saturation",
            135,
            "%",
            "SpO2 135%",
        ),
        (
            "en",
            "Essential hypertension",
            "T 36.6 °C, HR 78, BP 420/130, SpO2 98%",
            "systolic blood pressure",
            420,
            "mmHg",
            "BP 420/130",
        ),
        (
            "zh",
            "Influenza",
            "体温45.8℃，心率104次/分，血压122/76 mmHg，血氧饱和度97%",
            "body temperature",
            45.8,
            "°C",
            "体温45.8℃",
        ),
        (
            "zh",
            "Atrial fibrillation",
            "体温36.7℃，心率260次/分，血压128/82 mmHg，血氧饱和度97%",
            "resting heart rate",
            260,
            "bpm",
            "心率260次/分",
        ),
    ]
    rows = []
    for lang, dx, vit, entity, value, unit, text in specs:
        for _ in range(50):
            row = report_row(rng, lang, by_dx[dx], vitals_override=vit)
            if text in row.user:
                break
        else:
            raise RuntimeError("could not build out-of-range row")
        row.task = "report"
        row.plants.append({"kind": "out_of_range", "entity": entity, "value": value, "unit": unit, "text": text})
        rows.append(row)
    return rows


PII_PLAN = [
    ("mrn", "en", None),
    ("mrn", "en", None),
    ("mrn", "zh", None),
    ("mrn", "en", None),
    ("dob", "en", None),
    ("dob", "en", None),
    ("dob", "en", None),
    ("dob", "zh", None),
    ("email", "en", None),
    ("email", "zh", None),
    ("phone", "en", "us"),
    ("phone", "zh", "cn_mobile"),
    ("phone", "zh", "cn_mobile"),
    ("ssn", "en", None),
    ("ssn", "en", None),
    ("cn_id", "zh", None),
    ("cn_id", "zh", None),
]


def pii_ok(row, kind):
    if kind in ("mrn", "dob"):
        return row.task == "report"
    return True


def plant_pii(rng, row, kind, fmt=None):
    if kind not in ("mrn", "dob"):
        return plant_pii_sentence(rng, row, kind, fmt)
    value, _ = pii_value(rng, kind, row.lang)
    if kind == "mrn":
        label = "MRN: " + value
    else:
        label = ("DOB: " if row.lang == "en" else "出生日期：") + value
    text = row.user
    # put the identifier on its own line at the top of the clinical note
    if "\n\n" in text:
        head, note = text.split("\n\n", 1)
        if note.startswith("Note: "):
            text = head + "\n\nNote: " + label + "\n" + note[len("Note: ") :]
        else:
            text = head + "\n\n" + label + "\n" + note
    else:
        head, note = text.split("\n", 1) if "\n" in text else ("", text)
        text = (head + "\n" if head else "") + label + "\n" + note
    row.user = text
    row.plants.append({"kind": "pii", "type": kind, "value": value})
    return True


PLAN = {
    "exact_duplicate": 8,
    "near_duplicate": 8,
    "html": 5,
    "mojibake": 5,
    "misspelled_term": 6,
}


# --------------------------------------------------------------------------
# Knowledge base


def _terms():
    terms = []
    seen = set()

    def add(t):
        if t and t not in seen:
            seen.add(t)
            terms.append(t)

    for g in GLOSSARY:
        add(g[0])
    for c in CONDITIONS:
        add(c["en"]["dx"])
    for t in [
        "blood pressure",
        "heart rate",
        "body temperature",
        "oxygen saturation",
        "SpO2",
        "respiratory rate",
        "fasting blood glucose",
        "haemoglobin",
        "TSH",
        "LDL cholesterol",
        "uric acid",
        "ECG",
        "chest X-ray",
        "amoxicillin",
        "doxycycline",
        "paracetamol",
        "ibuprofen",
        "naproxen",
        "nitrofurantoin",
        "amlodipine",
        "metformin",
        "salbutamol",
        "prednisolone",
        "sumatriptan",
        "omeprazole",
        "oral rehydration solution",
        "ferrous sulfate",
        "levothyroxine",
        "diclofenac",
        "cetirizine",
        "hydrocortisone",
        "oseltamivir",
        "colchicine",
        "bisoprolol",
        "apixaban",
        "atorvastatin",
        "sertraline",
    ]:
        add(t)
    for g in GLOSSARY:
        add(g[1])
    for c in CONDITIONS:
        add(c["zh"]["dx"])
    for t in [
        "主诉",
        "随访",
        "生命体征",
        "血压",
        "心率",
        "体温",
        "血氧饱和度",
        "呼吸频率",
        "空腹血糖",
        "血红蛋白",
        "铁蛋白",
        "促甲状腺激素",
        "低密度脂蛋白胆固醇",
        "血尿酸",
        "心电图",
        "胸片",
        "峰流速",
        "急诊",
        "阿莫西林",
        "多西环素",
        "对乙酰氨基酚",
        "布洛芬",
        "萘普生",
        "呋喃妥因",
        "氨氯地平",
        "二甲双胍",
        "沙丁胺醇",
        "泼尼松龙",
        "奥美拉唑",
        "奥司他韦",
        "阿哌沙班",
        "阿托伐他汀",
        "舍曲林",
        "糖尿病",
        "哮喘",
    ]:
        add(t)
    return terms


FACTS = [
    {
        "entity": "body temperature",
        "attribute": "temperature",
        "min": 34,
        "max": 43,
        "unit": "°C",
        "aliases": ["body temperature", "temperature", "temp", "T", "体温"],
    },
    {
        "entity": "resting heart rate",
        "attribute": "rate",
        "min": 30,
        "max": 220,
        "unit": "bpm",
        "aliases": ["resting heart rate", "heart rate", "pulse", "HR", "心率", "脉搏"],
    },
    {
        "entity": "systolic blood pressure",
        "attribute": "pressure",
        "min": 50,
        "max": 260,
        "unit": "mmHg",
        "aliases": ["systolic blood pressure", "blood pressure", "BP", "收缩压", "血压"],
    },
    {
        "entity": "diastolic blood pressure",
        "attribute": "pressure",
        "min": 20,
        "max": 160,
        "unit": "mmHg",
        "aliases": ["diastolic blood pressure", "舒张压"],
    },
    {
        "entity": "oxygen saturation",
        "attribute": "saturation",
        "min": 50,
        "max": 100,
        "unit": "%",
        "aliases": ["oxygen saturation", "SpO2", "血氧饱和度"],
    },
    {
        "entity": "respiratory rate",
        "attribute": "rate",
        "min": 4,
        "max": 70,
        "unit": "/min",
        "aliases": ["respiratory rate", "RR", "呼吸频率"],
    },
    {
        "entity": "fasting blood glucose",
        "attribute": "concentration",
        "min": 1,
        "max": 40,
        "unit": "mmol/L",
        "aliases": ["fasting blood glucose", "fasting glucose", "空腹血糖"],
    },
    {
        "entity": "HbA1c",
        "attribute": "percentage",
        "min": 3,
        "max": 20,
        "unit": "%",
        "aliases": ["HbA1c", "glycated haemoglobin", "糖化血红蛋白"],
    },
    {
        "entity": "haemoglobin",
        "attribute": "concentration",
        "min": 30,
        "max": 250,
        "unit": "g/L",
        "aliases": ["haemoglobin", "hemoglobin", "Hb", "血红蛋白"],
    },
    {
        "entity": "body mass index",
        "attribute": "index",
        "min": 10,
        "max": 80,
        "unit": "kg/m2",
        "aliases": ["body mass index", "BMI", "体重指数"],
    },
    {
        "entity": "age",
        "attribute": "years",
        "min": 0,
        "max": 120,
        "unit": "years",
        "aliases": ["age", "year-old", "岁"],
    },
    {
        "entity": "PHQ-9 score",
        "attribute": "score",
        "min": 0,
        "max": 27,
        "unit": "points",
        "aliases": ["PHQ-9 score", "PHQ-9评分"],
    },
]

THESAURUS = [
    ["patient", "client", "individual"],
    ["doctor", "clinician", "physician"],
    ["shortness of breath", "breathlessness", "difficulty breathing"],
    ["fever", "high temperature", "pyrexia"],
    ["pain", "discomfort", "ache"],
    ["severe", "intense", "serious"],
    ["mild", "slight", "minor"],
    ["sudden", "abrupt", "rapid"],
    ["tiredness", "fatigue", "exhaustion"],
    ["dizziness", "light-headedness"],
    ["vomiting", "being sick"],
    ["diarrhoea", "diarrhea", "loose stools"],
    ["rash", "skin eruption"],
    ["swelling", "edema", "puffiness"],
    ["review", "follow-up", "check-up"],
    ["medication", "medicine", "drug"],
    ["twice daily", "two times a day"],
    ["once daily", "once a day"],
    ["as needed", "when required"],
    ["emergency department", "A&E", "ER"],
    ["heart attack", "myocardial infarction"],
    ["stroke", "cerebrovascular accident"],
    ["sore throat", "throat pain"],
    ["stomach pain", "abdominal pain", "belly pain"],
    ["患者", "病人", "就诊者"],
    ["医生", "临床医生", "大夫"],
    ["气短", "呼吸困难", "喘不上气"],
    ["发热", "发烧"],
    ["疼痛", "不适"],
    ["严重", "剧烈"],
    ["乏力", "疲倦", "没力气"],
    ["头晕", "眩晕感"],
    ["呕吐", "吐"],
    ["腹泻", "拉肚子"],
    ["复诊", "随访", "复查"],
    ["药物", "药品"],
    ["每日两次", "一天两次"],
    ["每日一次", "一天一次"],
    ["必要时", "需要时"],
    ["急诊", "急诊科"],
    ["心肌梗死", "心梗"],
    ["脑卒中", "中风"],
    ["咽痛", "嗓子疼", "喉咙痛"],
    ["腹痛", "肚子疼"],
]


def knowledge():
    return {"terms": _terms(), "facts": FACTS, "thesaurus": THESAURUS}

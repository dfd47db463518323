"""Write the questionnaires of the codebook-inference benchmark (``bench/bench_infer.py``).

Each case is a questionnaire written for the benchmark, in the words a
student would use: the items of the construct library paraphrased (never
copied), in zh or en, items shuffled inside their blocks, an attention
check, demographics whose options differ from the catalogue's, personal-data
and open questions.  This script writes, per case, the export as the
platform downloads it (``<case>.csv``, 12 made-up respondents) and the true
mapping (``<case>.truth.yaml``); the files are committed, so the benchmark
and ``tests/test_clean_infer.py`` read fixed files.  Run it again only to
change a case: ``python bench/infer_cases/make_cases.py``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).parent
N = 12
AGREE_ZH = ["非常不同意", "不同意", "一般", "同意", "非常同意"]
AGREE_ZH_ALT = ["完全不同意", "比较不同意", "一般", "比较同意", "完全同意"]
AGREE_EN = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]

# A question is one of
#   ("demo", CODE, wording, [options as shown])      single choice
#   ("screen", wording, [options])                    screening question (code SCREEN)
#   ("single", CODE, wording, [options])              a single-question construct (STAGE)
#   ("matrix", stem, [(CODE or "ATT=<label>", row), ...])   a matrix question
#   ("item", CODE or "ATT=<label>", wording)          one Likert question on its own
#   ("pii", wording) / ("open", wording)              personal data / open text
CASES: dict[str, dict] = {
    "wjx_text_community": {
        "platform": "wjx",
        "form": "text",
        "lang": "zh",
        "framework": "tea_brand_community",
        "questions": [
            ("demo", "GENDER", "您的性别", ["男", "女"]),
            ("demo", "AGE", "您的年龄段", ["18-25岁", "26-30岁", "31-40岁", "41-50岁", "50岁以上"]),
            ("demo", "EDU", "您的学历", ["高中及以下", "大专", "本科", "硕士及以上"]),
            (
                "demo",
                "INCOME",
                "您的月收入",
                ["3000元以下", "3000-6000元", "6001-10000元", "10000元以上"],
            ),
            (
                "demo",
                "TENURE",
                "您加入这个茶品牌社群有多久了？",
                ["半年以内", "半年到1年", "1-3年", "3年以上"],
            ),
            ("screen", "您是否加入过茶品牌的社群（如品牌微信群、会员群）？", ["是", "否"]),
            (
                "matrix",
                "请根据您的真实感受，对以下说法作出判断",
                [
                    ("CVA1", "在这个社群里买茶，花的钱物有所值。"),
                    ("CVA2", "社群里卖的茶叶质量一直很稳定，让人放心。"),
                    ("CVA3", "参加社群的活动让我心情愉快。"),
                    ("CVA4", "我在社群里认识了一些和我兴趣相同的茶友。"),
                    ("CVA5", "我能感受到品牌和社群成员之间真挚的感情。"),
                ],
            ),
            (
                "matrix",
                "请根据您的真实感受，对以下说法作出判断",
                [
                    ("IRI1", "社群活动中，大家都围绕同一个话题（比如一款茶）展开交流。"),
                    ("IRI2", "参加社群活动时，我能体会到大家共有的情绪。"),
                    ("IRI3", "每次社群活动结束后，我都感觉精神饱满、热情高涨。"),
                    ("IRI4", "社群独有的标识、口号和仪式让我们觉得是一家人。"),
                    ("IRI5", "社群活动时大家各聊各的，很少就同一件事交流。"),
                    ("ATT=同意", "为保证作答质量，本题请选择“同意”"),
                ],
            ),
            (
                "matrix",
                "请根据您的真实感受，对以下说法作出判断",
                [
                    ("SOB1", "我认为自己是这个茶品牌社群的一份子。"),
                    ("SOB2", "我觉得自己和社群里其他人有不少相似之处。"),
                    ("SOB3", "对我而言，这个社群很重要。"),
                    ("SOB4", "社群成员之间彼此关心，这一点我能感受到。"),
                ],
            ),
            (
                "matrix",
                "请根据您的真实感受，对以下说法作出判断",
                [
                    ("LOY1", "以后我还会接着买这个品牌的茶。"),
                    ("LOY2", "买同类茶的时候，我会优先选这个品牌。"),
                    ("LOY3", "就算别的品牌便宜一点，我还是会选这个品牌。"),
                    ("LOY4", "比起其他茶品牌，我对这个品牌更有感情。"),
                ],
            ),
            (
                "matrix",
                "请根据您的真实感受，对以下说法作出判断",
                [
                    ("PIN1", "我愿意买这个品牌的茶叶。"),
                    ("PIN2", "下回买茶，我会把这个品牌考虑进去。"),
                    ("PIN3", "我很有可能会购买该品牌的茶。"),
                    ("PIN4", "未来三个月内，我计划买这个品牌的茶。"),
                ],
            ),
            ("pii", "如愿意参加后续访谈，请留下您的手机号"),
            ("pii", "您的微信号"),
            ("open", "您对本社群还有什么建议？"),
        ],
    },
    "wjx_numeric_factors": {
        "platform": "wjx",
        "form": "numeric",
        "lang": "zh",
        "framework": "tea_brand_factors",
        "questions": [
            ("demo", "GENDER", "性别", ["男", "女"]),
            ("demo", "AGE", "年龄", ["25岁及以下", "26-35岁", "36-45岁", "46岁及以上"]),
            ("demo", "EDU", "受教育程度", ["高中/中专", "大专", "本科", "研究生"]),
            ("demo", "INCOME", "个人月收入", ["5000元以下", "5000-10000元", "10000元以上"]),
            ("demo", "TENURE", "您关注这个茶品牌多长时间了？", ["1年以内", "1-2年", "2年以上"]),
            (
                "matrix",
                "以下是关于该茶品牌的描述，请选择您的同意程度",
                [
                    ("BRD1", "这个茶品牌的定位明确，我清楚它代表着什么。"),
                    ("BRD2", "这个品牌的包装、形象和名字很有辨识度。"),
                    ("BRD3", "在一堆茶品牌里，我一眼就能认出它。"),
                    ("BRD4", "就算出现负面新闻，这个品牌也能维护好自己的形象。"),
                    ("ATT=非常同意", "此题选择“非常同意”"),
                ],
            ),
            (
                "matrix",
                "以下是关于该茶品牌的描述，请选择您的同意程度",
                [
                    ("CUL1", "品牌的社群活动有浓浓的茶文化气息。"),
                    ("CUL2", "品牌提供的品茶环境很雅致，让人身心舒畅。"),
                    ("CUL3", "有文化内涵的茶，我愿意多花钱买。"),
                    ("CUL4", "买茶我只看价钱，茶背后的文化对我来说没什么意义。"),
                ],
            ),
            (
                "matrix",
                "以下是关于该茶品牌的描述，请选择您的同意程度",
                [
                    ("PRO1", "这个品牌的广告很有创意，看过就忘不了。"),
                    ("PRO2", "品牌的宣传让我对它的茶有了更多了解。"),
                    ("PRO3", "品牌的销售和服务人员很周到、很细心。"),
                    ("PRO4", "品牌的广告能触动我的情感。"),
                ],
            ),
            (
                "matrix",
                "以下是关于该茶品牌的描述，请选择您的同意程度",
                [
                    ("PUB1", "这个品牌经常参加政府或行业举办的茶博会、斗茶赛等活动。"),
                    ("PUB2", "通过各种茶事活动，我对品牌产地的茶叶有了更多认识。"),
                    ("PUB3", "这个品牌在大众心中口碑很好。"),
                    ("PUB4", "品牌举办或参加的公益、文化活动让我更喜欢它。"),
                ],
            ),
            (
                "matrix",
                "您今后的购买打算",
                [
                    ("PIN1", "我乐意购买这个品牌的茶叶。"),
                    ("PIN2", "下一次买茶我会考虑这个品牌。"),
                    ("PIN3", "我购买这个品牌茶叶的可能性很高。"),
                    ("PIN4", "我准备在接下来三个月里买这个品牌的茶。"),
                    ("LOY1", "我会一直购买这个品牌的茶。"),
                    ("LOY2", "在同类的茶里，这个品牌是我的第一选择。"),
                    ("LOY3", "即使别家价格稍低，我也坚持买这个品牌。"),
                    ("LOY4", "跟别的茶品牌比，我对这个品牌感情更深。"),
                ],
            ),
            ("pii", "您的邮箱"),
        ],
    },
    "credamo_belonging": {
        "platform": "credamo",
        "form": "text",
        "lang": "zh",
        "framework": "maslow_belonging",
        "questions": [
            ("demo", "GENDER", "您的性别", ["男", "女"]),
            (
                "demo",
                "AGE",
                "您的年龄",
                ["18岁以下", "18-24岁", "25-34岁", "35-44岁", "45岁及以上"],
            ),
            (
                "demo",
                "EDU",
                "您目前的最高学历",
                ["初中及以下", "高中/中专", "大专", "本科", "研究生及以上"],
            ),
            (
                "demo",
                "TENURE",
                "您在这个社群待了多久？",
                ["不到3个月", "3-6个月", "6个月-1年", "1年以上"],
            ),
            (
                "matrix",
                "请表明您对下列说法的同意程度",
                [
                    ("NBL1", "我非常希望被周围的人所接受。"),
                    ("NBL2", "别人做计划时没算上我，我会很介意。"),
                    ("NBL3", "我需要感觉到身边有一群能依靠的人。"),
                    ("NBL4", "很久不跟朋友联系，我也觉得没关系。"),
                ],
            ),
            (
                "single",
                "STAGE",
                "下面哪一项最能描述您和这个茶品牌现在的关系？",
                [
                    "客户：只是对它的茶叶产品感兴趣",
                    "用户：经常使用它的产品和服务",
                    "粉丝：认同它的品牌理念和价值观",
                    "朋友：与品牌和其他成员有情感交流、彼此关心",
                ],
            ),
            (
                "matrix",
                "请表明您对下列说法的同意程度",
                [
                    ("SOB1", "我觉得我是这个茶品牌社群的成员之一。"),
                    ("SOB2", "我跟社群里的其他成员有很多共同点。"),
                    ("SOB3", "这个社群在我心里很重要。"),
                    ("SOB4", "在社群中，我感觉得到成员们彼此关心。"),
                    ("ATT=非常不同意", "本题请选非常不同意"),
                ],
            ),
            (
                "matrix",
                "请表明您对下列说法的同意程度",
                [
                    ("ENG1", "我经常在社群里发言、参与讨论。"),
                    ("ENG2", "社群组织的线上线下活动我都积极参加。"),
                    ("ENG3", "我乐意帮助社群里的其他人，比如解答泡茶的问题。"),
                    ("ENG4", "我差不多每天都会看社群里的新消息。"),
                ],
            ),
            (
                "matrix",
                "请表明您对下列说法的同意程度",
                [
                    ("LOY1", "我会继续买该品牌的茶。"),
                    ("LOY2", "同类茶品中，我首选这个品牌。"),
                    ("LOY3", "其他品牌即便便宜一些，我也会坚持选这个品牌。"),
                    ("LOY4", "相比其他茶品牌，我对这个品牌更有感情。"),
                ],
            ),
            ("pii", "您的联系电话"),
        ],
    },
    "qualtrics_layers_en": {
        "platform": "qualtrics",
        "form": "text",
        "lang": "en",
        "framework": "community_layers",
        "questions": [
            ("demo", "GENDER", "What is your gender?", ["Male", "Female", "Prefer not to say"]),
            ("demo", "AGE", "What is your age?", ["18-24", "25-34", "35-44", "45 or older"]),
            (
                "demo",
                "EDU",
                "Highest level of education completed",
                [
                    "High school or less",
                    "Associate degree",
                    "Bachelor's degree",
                    "Master's degree or higher",
                ],
            ),
            (
                "demo",
                "TENURE",
                "How long have you been a member of the community?",
                ["Less than 6 months", "6-12 months", "1-2 years", "More than 2 years"],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the community?",
                [
                    ("CVA1", "The tea I buy in this community is worth what I pay for it."),
                    ("CVA2", "The community's tea is consistently good and reliable."),
                    ("CVA3", "Being part of this community puts me in a good mood."),
                    ("CVA4", "I've made friends with tea lovers who share my interests here."),
                    (
                        "CVA5",
                        "The brand and community members share a sincere emotional connection.",
                    ),
                ],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the community?",
                [
                    (
                        "IRI1",
                        "At community events, everyone focuses on the same topic, such as a particular tea.",
                    ),
                    ("IRI2", "I can sense a shared mood among people at community events."),
                    ("IRI3", "I leave community events feeling energetic and enthusiastic."),
                    (
                        "IRI4",
                        "Our community's logo, slogans and rituals make us feel like one group.",
                    ),
                    (
                        "IRI5",
                        "At community events people talk over each other and rarely discuss the same thing.",
                    ),
                ],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the community?",
                [
                    (
                        "CEX1",
                        "Tastings held by the community are a treat for my eyes, nose and taste buds.",
                    ),
                    (
                        "CEX2",
                        "The venues and decoration of community events are pleasing to the senses.",
                    ),
                    (
                        "CEX3",
                        "I've been so absorbed in community activities that I forgot about time.",
                    ),
                    (
                        "CEX4",
                        "Some community experiences stayed with me and changed how I see life.",
                    ),
                    ("ATT=Strongly agree", 'Please select "Strongly agree" for this statement.'),
                ],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the community?",
                [
                    ("ENG1", "I frequently post or take part in discussions in the community."),
                    ("ENG2", "I actively join the community's online and offline events."),
                    (
                        "ENG3",
                        "I enjoy helping other members, for example by answering brewing questions.",
                    ),
                    ("ENG4", "I read the community's new messages nearly every day."),
                ],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the brand?",
                [
                    ("LOY1", "I will continue to buy tea from this brand."),
                    ("LOY2", "This brand is my first choice among similar teas."),
                    ("LOY3", "I would stick with this brand even if others cost a bit less."),
                    ("LOY4", "I have stronger feelings for this brand than for other tea brands."),
                ],
            ),
            (
                "matrix",
                "How much do you agree with the following statements about the brand?",
                [
                    ("WOM1", "I speak well of this brand to others."),
                    (
                        "WOM2",
                        "I recommend this brand to friends and family who are looking for tea.",
                    ),
                    ("WOM3", "I post about this brand's tea and community events on social media."),
                    ("WOM4", "I ask friends and family to join the brand's community."),
                ],
            ),
            ("pii", "Please leave your email address if you would like the results"),
            ("open", "Any other comments?"),
        ],
    },
    "wjx_text_en_single": {
        "platform": "wjx",
        "form": "text",
        "lang": "en",
        "framework": "tea_brand_factors",
        "questions": [
            ("demo", "GENDER", "Gender", ["Male", "Female"]),
            ("demo", "AGE", "Age", ["Under 20", "20-29", "30-39", "40-49", "50 and above"]),
            (
                "demo",
                "INCOME",
                "Monthly income (RMB)",
                ["Below 5,000", "5,000-9,999", "10,000-19,999", "20,000 or more"],
            ),
            (
                "item",
                "BRD1",
                "The positioning of this tea brand is clear; I know what it represents.",
            ),
            ("item", "BRD3", "Among many tea brands, I can recognise this one quickly."),
            ("item", "BRD2", "This tea brand's packaging, image and name stand out."),
            ("item", "BRD4", "This brand keeps its image intact even when bad news breaks."),
            (
                "item",
                "CUL2",
                "The tea-tasting environment the brand offers is elegant and relaxing.",
            ),
            (
                "item",
                "CUL1",
                "The brand's community events create a strong tea-culture atmosphere.",
            ),
            ("item", "CUL3", "I would pay more for tea products that carry cultural meaning."),
            (
                "item",
                "CUL4",
                "I only look at price when buying tea; the culture behind it means little to me.",
            ),
            ("item", "PRO1", "This brand's ads are creative and memorable."),
            ("item", "PRO2", "The brand's promotions help me learn more about its teas."),
            (
                "item",
                "ATT=Strongly disagree",
                "To show you are paying attention, choose Strongly disagree.",
            ),
            ("item", "PRO4", "The brand's advertising moves me emotionally."),
            ("item", "PRO3", "The brand's sales and service staff are thoughtful and thorough."),
            (
                "item",
                "PUB1",
                "The brand actively takes part in tea fairs and contests run by government or industry bodies.",
            ),
            ("item", "PUB3", "The brand enjoys a good public reputation."),
            (
                "item",
                "PUB2",
                "Through tea events I have learned more about the tea from this brand's home region.",
            ),
            (
                "item",
                "PUB4",
                "The charity and cultural events the brand hosts or joins make me like it more.",
            ),
            ("item", "PIN1", "I am willing to purchase this brand's tea."),
            ("item", "PIN2", "Next time I buy tea I will consider this brand."),
            ("item", "PIN4", "I plan to purchase this brand's tea in the next three months."),
            ("item", "PIN3", "I am very likely to buy this brand's tea."),
            ("pii", "Your name (optional)"),
        ],
    },
    "study_instrument_live": {
        "platform": "wjx",
        "form": "text",
        "lang": "zh",
        "framework": "study_instrument_live.instrument.yaml",
        "questions": [
            ("demo", "GENDER", "您的性别：", ["男", "女"]),
            ("demo", "AGE", "您的年龄：", ["18-25岁", "26－35岁", "36岁及以上"]),
            (
                "demo",
                "SPEND",
                "您平均每个月花在茶叶上的钱大约是多少？",
                ["100元以下", "100-300元", "301-500元", "500元以上"],
            ),
            (
                "matrix",
                "关于品牌直播间，您的看法是",
                [
                    ("LIV1", "主播会及时回应我在直播间提出的问题"),
                    ("LIV2", "在直播间里，我能和其他观众交流"),
                    ("LIV3", "直播中的茶叶讲解让我对产品更了解"),
                    ("LIV4", "我喜欢在直播间参与抽奖、答题等互动"),
                ],
            ),
            (
                "matrix",
                "关于品牌直播间，您的看法是",
                [
                    ("TRU1", "我相信这个品牌直播间介绍的信息是真实的"),
                    ("TRU2", "这个品牌会兑现它在直播中的承诺"),
                    ("TRU3", "在这个品牌的直播间购物让我放心"),
                    ("ATT=不同意", "请在本题选择“不同意”"),
                ],
            ),
            (
                "matrix",
                "关于品牌直播间，您的看法是",
                [
                    ("PIN1", "看完直播后，我愿意购买该品牌的茶叶"),
                    ("PIN2", "我会在直播间下单购买该品牌的茶叶"),
                    ("PIN3", "我以后还会在该直播间购买茶叶"),
                ],
            ),
            (
                "matrix",
                "关于品牌直播间，您的看法是",
                [
                    ("WOM1", "我会跟别人说这个品牌的好话。"),
                    ("WOM2", "有亲友想买茶时，我会推荐这个品牌。"),
                    ("WOM3", "我会在朋友圈等社交平台分享这个品牌的茶和活动。"),
                    ("WOM4", "我会邀请亲朋好友加入这个品牌的社群。"),
                ],
            ),
            ("pii", "您的姓名"),
        ],
    },
    "wjx_text_hard_zh": {
        "platform": "wjx",
        "form": "text",
        "lang": "zh",
        "framework": "tea_brand_community",
        "questions": [
            ("demo", "GENDER", "性别", ["男", "女", "不愿透露"]),
            ("demo", "AGE", "您的年龄", ["20岁以下", "20-29岁", "30-39岁", "40岁及以上"]),
            (
                "demo",
                "OCCUPATION",
                "您目前的职业",
                ["学生", "企业职员", "自由职业", "退休", "其他"],
            ),
            (
                "matrix",
                "您在群里的感受",
                [
                    ("CVA1", "社群里的茶性价比高。"),
                    ("CVA2", "群里的茶品质有保障。"),
                    ("CVA3", "待在这个群里我很开心。"),
                    ("CVA4", "我在群里交到了志同道合的朋友。"),
                    ("CVA5", "品牌方真心对待群里的每一位成员。"),
                ],
            ),
            (
                "matrix",
                "线下活动",
                [
                    ("CEX1", "群里的品鉴会让我眼、鼻、口都得到了享受。"),
                    ("CEX2", "活动现场的布置让人感觉很舒服。"),
                    ("CEX3", "参加活动时我常常投入到忘了时间。"),
                    ("CEX4", "群里的一些经历让我对生活有了新的体会。"),
                    ("ATT=比较同意", "这道题请您勾选“比较同意”"),
                ],
            ),
            (
                "matrix",
                "关于您自己",
                [
                    ("NBL1", "我渴望得到身边人的认可和接纳。"),
                    ("NBL2", "如果朋友聚会不叫我，我会难过。"),
                    ("NBL3", "我希望有一群能让我依赖的人。"),
                    ("NBL4", "长时间不和朋友见面对我没什么影响。"),
                ],
            ),
            (
                "matrix",
                "品牌的社会形象",
                [
                    ("PUB1", "该品牌常在茶博会、斗茶大赛上露面。"),
                    ("PUB2", "茶事活动让我认识了品牌家乡的好茶。"),
                    ("PUB3", "大家都说这个品牌好。"),
                    ("PUB4", "品牌做公益让我对它印象更好。"),
                ],
            ),
            (
                "matrix",
                "关于购买渠道",
                [
                    ("-", "我通常在电商平台买茶。"),
                    ("-", "我喜欢在实体店试喝后再买。"),
                    ("-", "快递送茶很方便。"),
                ],
            ),
            ("pii", "方便的话留个QQ号"),
        ],
    },
    "generic_interleaved_zh": {
        "platform": "generic",
        "form": "text",
        "lang": "zh",
        "framework": "tea_brand_community",
        "questions": [
            ("demo", "GENDER", "您的性别是", ["男", "女"]),
            ("demo", "EDU", "您的学历是", ["大专及以下", "本科", "硕士", "博士"]),
            ("demo", "INCOME", "您的月收入", ["5千以下", "5千-1万", "1万-2万", "2万以上"]),
            ("item", "SOB1", "我把自己看作这个茶品牌社群里的一员"),
            ("item", "LOY1", "我以后会继续购买这个品牌的茶叶"),
            ("item", "SOB2", "我和社群其他成员之间有许多共同点"),
            ("item", "LOY2", "在同类茶叶中我首先会选这个品牌"),
            ("item", "SOB3", "这个社群对我来说意义重大"),
            ("item", "LOY3", "即便别的品牌更便宜，我还是会选择这个品牌"),
            ("item", "SOB4", "在这个社群里我能感受到成员们互相关心"),
            ("item", "LOY4", "与其他茶品牌相比我对这个品牌更有感情"),
            ("item", "-", "我每周喝茶的次数很多"),
            ("item", "-", "我家里常备好几种茶"),
            ("item", "ATT=非常同意", "请在此题选择“非常同意”以示认真作答"),
            ("item", "BRD1", "我清楚这个茶品牌的定位和它代表的东西"),
            ("item", "BRD2", "这个茶品牌的包装和形象让人印象深刻"),
            ("item", "BRD3", "在很多茶品牌中我能迅速认出这个品牌"),
            ("item", "BRD4", "即使遇到负面事件，这个品牌也能维护自己的形象"),
            ("pii", "电子邮箱"),
        ],
    },
}


def _answers(rng, options, n=N):
    """Every option at least once (when n allows), the rest at random."""
    picks = list(range(len(options))) * (n // len(options) + 1)
    return (
        [options[i] for i in rng.permutation(picks[:n])]
        if len(options) <= n
        else [options[i] for i in rng.integers(0, len(options), n)]
    )


def build(name: str, case: dict) -> None:
    rng = np.random.default_rng(sum(map(ord, name)))
    platform, form, lang = case["platform"], case["form"], case["lang"]
    agree = AGREE_EN if lang == "en" else AGREE_ZH_ALT if name == "wjx_text_hard_zh" else AGREE_ZH
    headers, wording, cells = [], [], []  # wording: Qualtrics' second header row
    truth = {
        "framework": case["framework"],
        "items": {},
        "attention": {},
        "demographics": {},
        "screening": None,
        "drop": [],
        "unmatched": [],
    }
    number = 0

    def add(header, text, values):
        headers.append(header)
        wording.append(text)
        cells.append(values)

    def head(text, row=None, stem=""):
        if platform == "wjx":
            return f"{number}、{stem}—{text}" if row is not None else f"{number}、{text}"
        if platform == "credamo":
            return f"Q{number}_{row}.{text}" if row is not None else f"Q{number}.{text}"
        if platform == "generic":
            return f"{stem}：{text}" if row is not None else text
        return f"Q{number}_{row}" if row is not None else f"Q{number}"

    def choice(options):
        values = _answers(rng, options)
        return [str(options.index(v) + 1) for v in values] if form == "numeric" else values

    def likert(code):
        if code.startswith("ATT="):
            label = code[4:]
            right = [label] * (N - 2) + [agree[0] if label != agree[0] else agree[4]] * 2
            values = list(rng.permutation(right))
        else:
            values = [agree[i] for i in rng.integers(0, 5, N)]
        return [str(agree.index(v) + 1) for v in values] if form == "numeric" else values

    for q in case["questions"]:
        number += 1
        kind = q[0]
        if kind in ("demo", "single", "screen"):
            text, options = (q[1], q[2]) if kind == "screen" else (q[2], q[3])
            col = head(text)
            add(col, text, choice(options))
            if kind == "demo":
                truth["demographics"][col] = {"code": q[1], "answers": list(options)}
            elif kind == "single":
                truth["items"][col] = q[1]
            else:
                truth["screening"] = col
        elif kind in ("matrix", "item"):
            rows = q[2] if kind == "matrix" else [(q[1], q[2])]
            order = rng.permutation(len(rows)) if kind == "matrix" else [0]
            for r, k in enumerate(order, 1):
                code, text = rows[k]
                col = head(text, r if kind == "matrix" else None, q[1] if kind == "matrix" else "")
                full = f"{q[1]} - {text}" if kind == "matrix" else text
                add(col, full, likert(code))
                if code.startswith("ATT="):
                    truth["attention"][col] = agree.index(code[4:]) + 1
                elif code == "-":
                    truth["unmatched"].append(col)
                else:
                    truth["items"][col] = code
        elif kind == "pii":
            col = head(q[1])
            add(col, q[1], [""] * N)
            truth["drop"].append(col)
        else:
            col = head(q[1])
            add(
                col,
                q[1],
                [
                    ["无", "挺好的", "多办线下活动"][i % 3]
                    if lang == "zh"
                    else ["none", "great", "more events"][i % 3]
                    for i in range(N)
                ],
            )
            truth["unmatched"].append(col)

    ids = list(range(1, N + 1))
    durations = [int(v) for v in rng.integers(150, 600, N)]
    ips = [
        f"{rng.integers(36, 223)}.{rng.integers(0, 255)}.{rng.integers(0, 255)}.{rng.integers(1, 254)}"
        for _ in ids
    ]
    if platform == "wjx":
        front = {
            "序号": ids,
            "提交答卷时间": [f"2025/10/{10 + i % 9} 20:{10 + i:02d}:00" for i in ids],
            "所用时间": [f"{d}秒" for d in durations],
            "来源": ["微信"] * N,
            "来源详情": ["N/A"] * N,
            "来自IP": [f"{ip}(浙江-杭州)" for ip in ips],
        }
    elif platform == "credamo":
        front = {
            "答卷编号": [f"C{1000 + i}" for i in ids],
            "开始时间": [f"2025-10-10 20:{i:02d}:00" for i in ids],
            "提交时间": [f"2025-10-10 20:{i + 10:02d}:00" for i in ids],
            "作答时长": durations,
            "IP": ips,
            "IP所在地": ["浙江省杭州市"] * N,
        }
    elif platform == "generic":
        front = {"编号": ids, "提交时间": [f"2025-10-10 20:{i:02d}" for i in ids]}
    else:
        front = {
            "StartDate": [f"2025-10-10 20:{i:02d}:00" for i in ids],
            "EndDate": [f"2025-10-10 20:{i + 10:02d}:00" for i in ids],
            "Status": ["IP Address"] * N,
            "IPAddress": ips,
            "Progress": [100] * N,
            "Duration (in seconds)": durations,
            "Finished": ["True"] * N,
            "ResponseId": [f"R_{i:04d}x" for i in ids],
        }
    if platform == "generic":  # no platform roles: the columns are simply left unmatched
        truth["unmatched"] = list(front) + truth["unmatched"]
    else:
        kept = (
            "序号",
            "所用时间",
            "提交答卷时间",
            "答卷编号",
            "作答时长",
            "提交时间",
            "ResponseId",
            "Duration (in seconds)",
            "EndDate",
        )
        truth["drop"] = [c for c in front if c not in kept] + truth["drop"]
    table = [list(front) + headers]
    if platform == "qualtrics":
        table.append(list(front) + wording)
        table.append(
            [json.dumps({"ImportId": k}) for k in front]
            + [json.dumps({"ImportId": f"QID{h[1:]}"}) for h in headers]
        )
    for i in range(N):
        table.append([str(front[k][i]) for k in front] + [c[i] for c in cells])
    with (HERE / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    (HERE / f"{name}.truth.yaml").write_text(
        f"# True mapping of {name}.csv (written by make_cases.py).\n"
        + yaml.safe_dump(truth, allow_unicode=True, sort_keys=False, width=200),
        encoding="utf-8",
    )


if __name__ == "__main__":
    for case_name, spec in CASES.items():
        build(case_name, spec)
        print(f"wrote {case_name}")

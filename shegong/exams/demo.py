"""Demo exam preparation: a question bank generated from real topics of the national social-worker
exam, practice attempts of the demo social worker (one left open), national results of demo
people.

Questions are generated from small tables of facts (a theory's stages, a method's models, a law's
date of effect): each fact gives a question asking for its description and one asking which
item a description belongs to, with the other items of its table as wrong options, and each
table gives a few multiple-choice questions. Every question carries its explanation.
"""

from __future__ import annotations

import random

from django.utils import timezone

from shegong.exams.choices import ExamLevel, QuestionKind, Subject
from shegong.exams.models import ExamResult, Question

# (title, aspect asked, [(item, description), ...])
COMPREHENSIVE = [
    (
        "埃里克森心理社会发展理论",
        "发展任务（心理社会危机）",
        [
            ("婴儿期（0～1岁）", "信任对不信任"),
            ("幼儿期（1～3岁）", "自主对羞怯与怀疑"),
            ("学前期（3～6岁）", "主动对内疚"),
            ("学龄期（6～12岁）", "勤奋对自卑"),
            ("青少年期（12～18岁）", "自我同一性对角色混乱"),
            ("成年早期（18～25岁）", "亲密对孤独"),
            ("成年中期（25～65岁）", "繁衍对停滞"),
            ("成年晚期（65岁以后）", "自我整合对绝望"),
        ],
    ),
    (
        "马斯洛需要层次理论",
        "含义",
        [
            ("生理需要", "对食物、水、睡眠等维持生存条件的需要"),
            ("安全需要", "对稳定、受保护、免于恐惧和混乱的需要"),
            ("归属与爱的需要", "对友谊、家庭和被群体接纳的需要"),
            ("尊重需要", "对自尊、能力得到他人认可的需要"),
            ("自我实现需要", "充分发挥潜能、实现个人理想的需要"),
        ],
    ),
    (
        "皮亚杰认知发展理论",
        "主要特点",
        [
            ("感知运动阶段（0～2岁）", "通过感觉和动作认识世界，逐步获得客体永久性"),
            ("前运算阶段（2～7岁）", "出现象征性思维，思维具有自我中心性"),
            ("具体运算阶段（7～11岁）", "获得守恒概念，能对具体事物进行逻辑推理"),
            ("形式运算阶段（11岁以后）", "能进行抽象思维和假设—演绎推理"),
        ],
    ),
    (
        "个案工作的实务模式",
        "核心观点",
        [
            ("心理社会治疗模式", "强调“人在情境中”，关注个人与环境的相互影响"),
            ("认知行为治疗模式", "认为不合理的认知是情绪和行为问题的根源"),
            ("任务中心模式", "在短期内以服务对象认可的具体任务解决其问题"),
            ("危机介入模式", "在危机发生后迅速、短期介入，帮助服务对象恢复平衡"),
            ("人本治疗模式", "相信人有自我实现的潜能，重视真诚、无条件积极关注与同理"),
            ("叙事治疗模式", "协助服务对象将问题外化，重新建构自己的生命故事"),
            ("理性情绪治疗模式", "认为引起情绪后果的是对事件的信念而非事件本身"),
        ],
    ),
    (
        "小组工作的发展阶段",
        "主要任务",
        [
            ("筹备期", "评估需要、确定小组目标、招募和甄选组员"),
            ("形成期", "组员相互认识，初步建立小组规范和信任关系"),
            ("转折期", "处理组员的抗拒与冲突，协助小组走向凝聚"),
            ("成熟期", "组员投入互助，共同实现小组目标"),
            ("结束期", "巩固小组成效，处理离别情绪并安排跟进"),
        ],
    ),
    (
        "小组的类型",
        "主要作用",
        [
            ("教育小组", "帮助组员学习新的知识和技巧"),
            ("成长小组", "促进组员自我认识、发掘潜能和个人成长"),
            ("支持小组", "由面临共同问题的组员分享经验、相互支持"),
            ("治疗小组", "协助组员改变行为、处理较深层的个人问题"),
            ("社会化小组", "帮助组员学习社会技能，提升社会适应能力"),
            ("自助小组", "由组员自行组织，以同伴互助解决共同问题"),
        ],
    ),
    (
        "社区工作的实务模式",
        "主要特点",
        [
            ("地区发展模式", "强调居民参与和自助，培养社区能力与归属感"),
            ("社会策划模式", "依靠专业人员理性规划，解决具体的社会问题"),
            ("社区照顾模式", "动员正式与非正式资源，使有需要的人在社区内得到照顾"),
            ("社会行动模式", "组织弱势群体争取权益，改变不合理的资源分配"),
        ],
    ),
    (
        "社会工作的专业伦理原则",
        "含义",
        [
            ("保密原则", "未经服务对象同意不透露其信息，法律另有规定等情形除外"),
            ("案主自决原则", "尊重服务对象自己作出选择和决定的权利"),
            ("接纳原则", "接受服务对象本来的样子，不因其背景或行为而拒绝"),
            ("个别化原则", "把每一位服务对象视为有独特需要的个体"),
            ("非评判原则", "不以社会工作者个人的价值标准评判服务对象"),
            ("知情同意原则", "在服务开始前说明服务内容、方式与可能的风险"),
        ],
    ),
    (
        "社会工作研究方法",
        "主要特点",
        [
            ("问卷调查", "以标准化问卷向较大样本收集资料"),
            ("深度访谈", "与少数对象面谈，了解其经验和意义"),
            ("参与观察", "研究者进入情境，在参与中观察"),
            ("行动研究", "研究与行动结合，在推动改变中研究"),
            ("个案研究", "对一个或少数个案进行深入全面的研究"),
            ("文献研究", "利用已有文献和统计资料进行分析"),
        ],
    ),
    (
        "社会工作督导的功能",
        "主要内容",
        [
            ("行政功能", "分派工作、监督服务进度与质量"),
            ("教育功能", "传授知识和技巧，促进社会工作者专业成长"),
            ("支持功能", "缓解工作压力和倦怠，增强士气"),
        ],
    ),
]

PRACTICE = [
    (
        "社会工作通用过程",
        "主要任务",
        [
            ("接案", "初次面谈，了解求助问题，决定是否建立专业关系"),
            ("预估", "收集资料，分析问题与需要，识别资源与优势"),
            ("计划", "设定服务目标，制定行动方案并与服务对象订立协议"),
            ("介入", "运用直接和间接的方法实施服务计划"),
            ("评估", "检查服务目标达成情况和服务成效"),
            ("结案", "总结服务、巩固成效、处理离别情绪并安排跟进"),
        ],
    ),
    (
        "社会工作的服务领域",
        "常用服务",
        [
            ("老年社会工作", "怀旧治疗、生命回顾和照顾者支持"),
            ("儿童社会工作", "游戏治疗和儿童保护"),
            ("青少年社会工作", "抗逆力培养和偏差行为预防"),
            ("残疾人社会工作", "康复服务、无障碍支持和社会融入"),
            ("矫正社会工作", "对社区矫正对象的教育帮扶和社会适应服务"),
            ("医务社会工作", "患者及家属的心理社会支持和出院计划"),
            ("学校社会工作", "学业适应辅导和校园欺凌预防"),
            ("企业社会工作", "员工帮助计划和劳动关系协调"),
            ("家庭社会工作", "家庭治疗和亲职教育"),
            ("社会救助社会工作", "困难群众的需求评估和资源链接"),
        ],
    ),
    (
        "老年人评估工具",
        "用途",
        [
            ("巴氏指数（Barthel指数）", "评估进食、穿衣、如厕等日常生活活动能力"),
            ("简易精神状态检查（MMSE）", "筛查认知功能障碍"),
            ("老年抑郁量表（GDS）", "筛查老年人的抑郁情绪"),
            ("工具性日常生活活动能力量表（IADL）", "评估使用电话、购物、理财等能力"),
        ],
    ),
    (
        "家庭治疗的流派",
        "关注重点",
        [
            ("结构式家庭治疗", "家庭结构、次系统和界限"),
            ("萨提亚家庭治疗", "家庭成员的沟通姿态和自我价值"),
            ("策略式家庭治疗", "以设计好的策略和指令改变家庭互动模式"),
            ("鲍文家庭系统治疗", "自我分化程度和代际传递"),
        ],
    ),
    (
        "会谈中的直接介入技巧",
        "含义",
        [
            ("同理心", "设身处地理解服务对象的感受并反馈给对方"),
            ("澄清", "请服务对象把模糊的表述说得更具体、明确"),
            ("对焦", "把会谈集中到与目标有关的重要议题上"),
            ("摘要", "把服务对象所说的要点归纳后反馈"),
            ("自我表露", "社会工作者适度分享与服务对象有关的自身经验"),
            ("对质", "指出服务对象言行或前后陈述中的不一致"),
            ("鼓励", "以言语或非言语方式促使服务对象继续表达"),
        ],
    ),
]

LAW_POLICY = [
    (
        "社会工作相关法律法规",
        "施行日期",
        [
            ("《中华人民共和国慈善法》", "2016年9月1日"),
            ("《中华人民共和国反家庭暴力法》", "2016年3月1日"),
            ("《中华人民共和国民法典》", "2021年1月1日"),
            ("《志愿服务条例》", "2017年12月1日"),
            ("《社会救助暂行办法》", "2014年5月1日"),
            ("《中华人民共和国社区矫正法》", "2020年7月1日"),
            ("《中华人民共和国精神卫生法》", "2013年5月1日"),
            ("《中华人民共和国家庭教育促进法》", "2022年1月1日"),
            ("《中华人民共和国个人信息保护法》", "2021年11月1日"),
            ("《中华人民共和国无障碍环境建设法》", "2023年9月1日"),
        ],
    ),
    (
        "法律法规的重要规定",
        "内容",
        [
            ("《中华人民共和国老年人权益保障法》", "老年人是指六十周岁以上的公民"),
            ("《中华人民共和国残疾人保障法》", "每年5月的第三个星期日为全国助残日"),
            ("《中华人民共和国民法典》", "十八周岁以上的自然人为成年人"),
            ("《中华人民共和国反家庭暴力法》", "人身安全保护令由人民法院以裁定形式作出"),
            ("《中华人民共和国未成年人保护法》", "规定家庭、学校、社会、网络、政府、司法六大保护"),
            ("《社会救助暂行办法》", "确立最低生活保障、特困人员供养等八项社会救助制度"),
            (
                "《中华人民共和国社区矫正法》",
                "社区矫正对象包括被判处管制、宣告缓刑、假释和暂予监外执行的罪犯",
            ),
            ("《中华人民共和国精神卫生法》", "精神障碍的住院治疗实行自愿原则"),
        ],
    ),
]

SENIOR_PRACTICE = [
    (
        "社会服务项目评估的类型",
        "主要目的",
        [
            ("需求评估", "在项目设计前了解目标人群的问题与需要"),
            ("过程评估", "检查项目是否按计划实施以及实施质量"),
            ("结果评估", "衡量项目目标的达成程度"),
            ("影响评估", "考察项目对服务对象和社区的长期影响"),
            ("成本效益分析", "比较项目的投入与产出"),
        ],
    ),
    (
        "项目逻辑模型的要素",
        "含义",
        [
            ("投入", "项目使用的人力、资金和物资等资源"),
            ("活动", "为实现目标而开展的服务和工作"),
            ("产出", "活动直接产生的数量结果，如服务人次"),
            ("成效", "服务对象在知识、态度或行为上的改变"),
        ],
    ),
    (
        "高级社会工作者的督导方式",
        "特点",
        [
            ("个别督导", "督导者与一名被督导者定期一对一会谈"),
            ("团体督导", "一名督导者与若干被督导者共同讨论个案和工作"),
            ("同辈督导", "资历相近的社会工作者相互讨论、彼此支持"),
            ("现场督导", "督导者在服务现场观察并即时给予指导"),
        ],
    ),
]

LETTERS = "ABCDE"


def _single(rng, title, aspect, items, index, *, reverse: bool) -> dict:
    name, desc = items[index]
    others = [i for i in range(len(items)) if i != index]
    wrong = rng.sample(others, min(3, len(others)))
    picked = [index, *wrong]
    rng.shuffle(picked)
    if reverse:
        stem = f"在{title}中，“{desc}”对应的是："
        options = [items[i][0] for i in picked]
    else:
        stem = f"在{title}中，{name}的{aspect}是："
        options = [items[i][1] for i in picked]
    explanation = (
        f"{name}的{aspect}是“{desc}”。"
        + "；".join(f"{items[i][0]}：{items[i][1]}" for i in wrong)
        + "。"
    )
    return {
        "kind": QuestionKind.SINGLE,
        "stem": stem,
        "options": options,
        "answer": LETTERS[picked.index(index)],
        "explanation": explanation,
    }


def _multiple(rng, title, aspect, items, variant: int) -> dict | None:
    if len(items) < 4:
        return None
    chosen = rng.sample(range(len(items)), min(5, len(items)))
    right = chosen[: max(2, len(chosen) - 2)]
    options, answer = [], []
    for i in chosen:
        name, desc = items[i]
        if i in right:
            options.append(f"{name}：{desc}")
        else:
            # A wrong pairing: the item with another item's description.
            other = items[(i + 1) % len(items)][1]
            options.append(f"{name}：{other}")
    order = list(range(len(chosen)))
    rng.shuffle(order)
    options = [options[o] for o in order]
    answer = "".join(LETTERS[pos] for pos, o in enumerate(order) if chosen[o] in right)
    explanation = "正确的对应是：" + "；".join(f"{n}：{d}" for n, d in items) + "。"
    return {
        "kind": QuestionKind.MULTIPLE,
        "stem": f"关于{title}中各项的{aspect}，下列对应正确的有（第{variant}组）：",
        "options": options,
        "answer": answer,
        "explanation": explanation,
    }


def generated_questions() -> list[dict]:
    """The demo bank's rows, in the fields of ``clean_question_fields``; deterministic."""
    rng = random.Random(2026)  # noqa: S311 - demo content, not security
    papers = [
        (COMPREHENSIVE, Subject.COMPREHENSIVE, (ExamLevel.JUNIOR, ExamLevel.INTERMEDIATE)),
        (PRACTICE, Subject.PRACTICE, (ExamLevel.JUNIOR, ExamLevel.INTERMEDIATE)),
        (LAW_POLICY, Subject.LAW_POLICY, (ExamLevel.INTERMEDIATE,)),
        (SENIOR_PRACTICE, Subject.SENIOR_PRACTICE, (ExamLevel.SENIOR,)),
    ]
    rows = []
    for families, subject, levels in papers:
        for title, aspect, items in families:
            made = []
            for index in range(len(items)):
                made.append(_single(rng, title, aspect, items, index, reverse=False))
                made.append(_single(rng, title, aspect, items, index, reverse=True))
            for variant in range(1, 4):
                question = _multiple(rng, title, aspect, items, variant)
                if question is not None:
                    made.append(question)
            for level in levels:
                for question in made:
                    row = {
                        "subject": subject,
                        "level": level,
                        "kind": question["kind"],
                        "stem": question["stem"],
                        "answer": question["answer"],
                        "explanation": question["explanation"],
                    }
                    for letter, text in zip("abcde", question["options"], strict=False):
                        row[f"option_{letter}"] = text
                    rows.append(row)
    return rows


def _practise(user) -> int:
    """The demo worker's history: quizzes with right and wrong answers, a mock exam, and one
    quiz left open (on their workbench)."""
    from shegong.exams.models import Attempt
    from shegong.exams.services import attempt_start, attempt_submit

    if Attempt.objects.filter(user=user).exists():
        return 0
    rng = random.Random(11)  # noqa: S311
    plan = [
        ("practice", Subject.COMPREHENSIVE, ExamLevel.INTERMEDIATE, 0.5),
        ("practice", Subject.COMPREHENSIVE, ExamLevel.INTERMEDIATE, 0.7),
        ("practice", Subject.PRACTICE, ExamLevel.INTERMEDIATE, 0.6),
        ("practice", Subject.LAW_POLICY, ExamLevel.INTERMEDIATE, 0.4),
        ("mock", Subject.PRACTICE, ExamLevel.INTERMEDIATE, 0.75),
    ]
    for mode, subject, level, right_share in plan:
        attempt = attempt_start(
            actor=user, mode=mode, subject=subject, level=level, count=10, minutes=30
        )
        answers = {}
        for item in attempt.items.select_related("question"):
            if rng.random() < right_share:
                answers[item.position] = item.question.answer
            else:
                letters = [letter for letter, _t in item.question.options]
                answers[item.position] = next(
                    (x for x in letters if x not in item.question.answer), letters[0]
                )
        attempt_submit(actor=user, attempt=attempt, answers=answers)
    attempt_start(
        actor=user, mode="practice", subject=Subject.PRACTICE, level=ExamLevel.JUNIOR, count=5
    )
    return len(plan) + 1


def _results(world, admin) -> int:
    """National results of demo people in the last three exam years."""
    from shegong.exams.services import result_create
    from shegong.people.models import Person

    if ExamResult.objects.exists():
        return 0
    this_year = timezone.localdate().year
    people = list(Person.objects.exclude(id_number="").order_by("pk")[:60])
    rng = random.Random(7)  # noqa: S311
    made = 0
    for n, person in enumerate(people):
        if not person.id_number or person.id_type != "resident_id":
            continue
        level = (ExamLevel.JUNIOR, ExamLevel.INTERMEDIATE, ExamLevel.INTERMEDIATE)[n % 3]
        year = this_year - 1 - n % 3
        papers = {
            ExamLevel.JUNIOR: (Subject.COMPREHENSIVE, Subject.PRACTICE),
            ExamLevel.INTERMEDIATE: (Subject.COMPREHENSIVE, Subject.PRACTICE, Subject.LAW_POLICY),
        }[level]
        for subject in papers:
            score = rng.randint(42, 88)
            result_create(
                actor=admin,
                name=person.name,
                id_number=person.id_number,
                year=year,
                level=level,
                subject=subject,
                score=score,
                passed=score >= 60,
            )
            made += 1
    return made


def build(world) -> None:
    from shegong.exams.services import questions_bulk_create

    admin = world.users["training_admin"]
    created = 0
    if not Question.objects.exists():
        created = len(questions_bulk_create(actor=admin, rows=generated_questions()))
    attempts = _practise(world.users["social_worker"])
    results = _results(world, admin)
    world.report.append(
        f"Demo exam prep: {created} questions, {attempts} attempts, {results} national results."
    )

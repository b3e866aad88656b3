"""Six sound plans of different kinds of NGO (two per language): the corpus's hosts,
and near misses as a whole: no coaching the corpus measures may fire on them.

Each plan overrides the texts the coaching reads (goals, schedule, stakeholders,
SWOT, project, logframe, M&E, budget) in a complete plan (tests.test_checks).
"""

from __future__ import annotations

from typing import Any

from tests.test_checks import base_plan


def _goal(kind: str, goal: str) -> dict[str, Any]:
    smart = dict.fromkeys(("specific", "measurable", "area", "realistic", "time_bound"), True)
    return {"kind": kind, "goal": goal, **smart}


def _task(goal: str, objective: str, result: str, months: list[int]) -> dict[str, Any]:
    return {
        "goal": goal,
        "objective": objective,
        "actions": "—",
        "responsible": "—",
        "result": result,
        "months": months,
    }


def plan(
    *,
    level: str,
    goals: tuple[str, str, str],
    tasks: tuple[tuple[str, str], tuple[str, str], tuple[str, str]],
    stakeholders: list[tuple[str, str]],
    threats: list[str],
    weaknesses: list[str],
    project_goal: str,
    objectives: list[tuple[str, str]],
    frame: dict[str, tuple[str, str, str]],
    me: list[tuple[str, str]],
    budget: list[tuple[str, str, int]],
) -> dict[str, Any]:
    """A complete plan with the coaching's texts of one NGO."""
    data = base_plan()
    data["profile"]["org"]["level"] = level
    kinds = ("activity", "relations", "internal")
    data["goals"]["goals"] = [_goal(k, g) for k, g in zip(kinds, goals, strict=True)]
    rows = [_task(g, t, r, [1, 2, 3]) for g, (t, r) in zip(goals, tasks, strict=True)]
    data["schedule"] = {"activity": rows[:1], "capacity": rows[1:]}
    data["stakeholders"]["map"] = [
        {"category": c, "name": n, "influence": "+"} for c, n in stakeholders
    ]
    data["stakeholder_detail"] = {
        c: [{"name": n, "profile": "+"} for cc, n in stakeholders if cc == c]
        for c in ("beneficiaries", "donors", "partners", "competitors", "opponents")
    }
    for i, row in enumerate(data["swot_external"]["trends"]):
        row["threats"] = threats[i % len(threats)]
    data["swot_internal"]["items"] = [
        {"strength": "+", "strength_critical": True, "weakness": w, "weakness_critical": True}
        for w in weaknesses
    ]
    data["project"]["summary"]["goal"] = project_goal
    data["project"]["objectives"] = [{"objective": o, "result": r} for o, r in objectives]
    for key, (summary, indicators, verification) in frame.items():
        cell = data["logframe"]["frame"][key]
        cell.update(summary=summary, indicators=indicators, verification=verification)
    data["me_plan"]["indicators"] = [
        {"objective": o, "quantitative": q, "qualitative": "+", "verification": v}
        for (o, _r), (q, v) in zip(objectives, me, strict=True)
    ]
    data["budget"]["items"] = [
        {"category": c, "item": i, "unit": "—", "quantity": 1, "unit_cost": a} for c, i, a in budget
    ]
    return data


# --- kk: a youth psychological centre in Almaty (regional) ----------------------------
YOUTH_KK = plan(
    level="regional",
    goals=(
        "2027 жылдың соңына дейін Алматы қаласындағы 14-22 жастағы 300 жасөспірімге психологиялық көмек көрсету.",
        "2027 жылдың соңына дейін Алматының 20 мектебімен және Жастар саясаты басқармасымен серіктестік туралы келісімдер жасау.",
        "2027 жылы қаржыландыру көздерін кемінде төртке жеткізу: бір көздің үлесі бюджеттің 40%-ынан аспайды.",
    ),
    tasks=(
        ("6 айда 4 мектепте 12 тренинг өткізу.", "150 жасөспірім оқытылды."),
        (
            "8 жаңа мектеппен ынтымақтастық меморандумына қол қою.",
            "Серіктес мектептер саны 12-ден 20-ға жетті.",
        ),
        ("Екі жаңа қаржыландыру көзін тарту.", "Кемінде 2 жаңа донор қаржыландыруға келісті."),
    ),
    stakeholders=[
        ("beneficiaries", "Алматы қаласының 14-22 жастағы жасөспірімдері"),
        ("beneficiaries", "Жасөспірімдердің ата-аналары"),
        ("donors", "Алматы қаласы әкімдігінің Жастар саясаты басқармасы"),
        ("partners", "Алматының 12 жалпы білім беретін мектебі"),
        ("partners", "«Алау» телеарнасы"),
        ("competitors", "«Жастар» психологиялық орталығы"),
        ("opponents", "Психологқа баруға қарсы ата-аналар"),
    ],
    threats=[
        "Мемлекеттік әлеуметтік тапсырыстың қысқаруы",
        "Жалға алу бағасының өсуі",
        "Жасөспірімдер арасында суицид жағдайларының көбеюі",
    ],
    weaknesses=["Бір донорға тәуелділік", "Ауылдық аудандарда тәжірибеміз аз"],
    project_goal="Алматы жасөспірімдері психологиялық көмекті уақытында алады.",
    objectives=[
        (
            "2027 жылдың маусымына дейін Алматының 200 жасөспірімі көмекке қайда жүгіну керегін біледі.",
            "200 жасөспірім психологтан кеңес алды.",
        ),
        (
            "2027 жылдың қыркүйегіне дейін сенім телефоны күніне 12 сағат жұмыс істейді.",
            "900 қоңырауға жауап берілді.",
        ),
    ],
    frame={
        "purpose": (
            "Жасөспірімдер психологиялық көмекті уақытында алады",
            "2027 жылдың маусымына дейін 200 жасөспірім кеңес алды",
            "Кеңестер журналы",
        ),
        "outputs": (
            "Жасөспірімдер өзіне-өзі көмектесу дағдыларын меңгерді",
            "Қатысушылардың 95%-ы қорытынды тесттен өтті",
            "Қорытынды тесттер",
        ),
        "activities": (
            "4 мектепте тренингтер, сенім телефоны",
            "Бюджет 5 480 000 теңге, 2 психолог, 12 ай",
            "Шығыстар туралы есептер",
        ),
    },
    me=[
        ("Кеңес алған жасөспірімдер саны (мақсаты — 200)", "Кеңестер журналы, сауалнамалар"),
        ("Сенім телефонына түскен қоңыраулар саны (мақсаты — 900)", "Қоңыраулар журналы"),
    ],
    budget=[
        ("staff", "Үйлестіруші", 3_000_000),
        ("activities", "Тренингтер", 1_760_000),
        ("me", "БмБ маманы", 240_000),
    ],
)

# --- kk: a rural women's crafts cooperative in Turkistan region (regional) ----------
CRAFTS_KK = plan(
    level="regional",
    goals=(
        "2028 жылға дейін Түркістан облысы Сайрам ауданының 60 ауыл әйелі қолөнер бұйымдарын сатудан тұрақты табыс табады.",
        "2027 жылдың соңына дейін аудан әкімдігімен және 3 жергілікті кәсіпорынмен бұйымдарды өткізу туралы келісім жасасу.",
        "2027 жылы кооперативтің 2 қызметкері бухгалтерлік есеп курсынан өтеді.",
    ),
    tasks=(
        ("6 айда 30 шеберге кесте тігу бойынша 3 курс ұйымдастыру.", "30 әйел курсты бітірді."),
        ("Аудан әкімдігімен келіссөз жүргізіп, 1 келісімге қол қою.", "1 келісімге қол қойылды."),
        ("2 қызметкерді курсқа жіберу.", "2 қызметкер сертификат алды."),
    ),
    stakeholders=[
        ("beneficiaries", "Сайрам ауданының жұмыссыз әйелдері"),
        ("donors", "Аудан әкімдігі (мемлекеттік әлеуметтік тапсырыс)"),
        ("donors", "«Атамекен» кәсіпкерлер палатасы"),
        ("partners", "Аудандық мәдениет үйі"),
        ("competitors", "Шымкенттегі қолөнер дүкендері"),
        ("opponents", "Әйелдің жұмыс істеуіне қарсы кейбір отбасылар"),
    ],
    threats=["Жібек пен жүн бағасының өсуі", "Арзан импорттық бұйымдар", "Ауылдан жастардың көшуі"],
    weaknesses=["Интернетте сату тәжірибесі жоқ", "Бухгалтеріміз жоқ"],
    project_goal="Сайрам ауданының ауыл әйелдері қолөнерден тұрақты табыс табады.",
    objectives=[
        (
            "2027 жылдың соңына дейін 60 әйел өз бұйымдарын сатады.",
            "60 әйел айына кемінде 50 000 теңге табады.",
        ),
        (
            "2027 жылдың маусымына дейін кооперативтің онлайн-дүкені жұмыс істейді.",
            "Онлайн-дүкенде 200 тапсырыс орындалды.",
        ),
    ],
    frame={
        "purpose": (
            "Ауыл әйелдері бұйымдарын тұрақты сатады",
            "60 әйел айына 50 000 теңге табады",
            "Сату кітабы",
        ),
        "outputs": (
            "Шеберлер курсты бітірді",
            "30 әйел сертификат алды",
            "Сертификаттардың көшірмелері",
        ),
        "activities": (
            "Курстар, жәрмеңкелер",
            "Шебер-нұсқаушы, материалдар, көлік; бюджет 3 200 000 теңге",
            "Қаржылық есептер",
        ),
    },
    me=[
        ("Бұйым сататын әйелдер саны (мақсаты — 60)", "Сату кітабы, түбіртектер"),
        ("Онлайн-тапсырыстар саны (мақсаты — 200)", "Онлайн-дүкеннің есебі"),
    ],
    budget=[
        ("staff", "Нұсқаушы", 1_600_000),
        ("activities", "Курстар", 1_450_000),
        ("me", "Сауалнама", 150_000),
    ],
)

# --- ru: an HIV service organisation in Temirtau (national) ----------------------------
HIV_RU = plan(
    level="national",
    goals=(
        "К концу 2027 года 400 людей, живущих с ВИЧ, в Темиртау и Караганде регулярно получают АРВ-терапию.",
        "До июня 2027 года подписать меморандумы с 2 центрами СПИД и управлением здравоохранения Карагандинской области.",
        "В 2027 году 4 сотрудника фонда проходят обучение по МиО и фандрайзингу.",
    ),
    tasks=(
        ("За 6 месяцев провести 10 групп взаимопомощи.", "120 человек посетили группы."),
        ("Провести 3 встречи с центром СПИД и подписать меморандум.", "Подписан 1 меморандум."),
        ("Направить 2 сотрудников на курс по МиО.", "2 сотрудника получили сертификаты."),
    ),
    stakeholders=[
        ("beneficiaries", "Люди, живущие с ВИЧ, в Темиртау"),
        ("beneficiaries", "Родственники людей, живущих с ВИЧ"),
        ("donors", "Глобальный фонд"),
        ("donors", "Управление здравоохранения Карагандинской области (госсоцзаказ)"),
        ("partners", "Областной центр СПИД"),
        ("competitors", "Другие НКО, работающие с ключевыми группами"),
        ("opponents", "Местные активисты, выступающие против программ снижения вреда"),
    ],
    threats=[
        "Сокращение финансирования Глобального фонда",
        "Стигма в обществе",
        "Перебои с поставками препаратов",
    ],
    weaknesses=["Зависимость от одного донора", "Нет своего юриста"],
    project_goal="Люди, живущие с ВИЧ, в Темиртау не прерывают лечение.",
    objectives=[
        (
            "К июню 2027 года 90% клиентов проекта принимают терапию без перерывов.",
            "360 клиентов принимают терапию.",
        ),
        (
            "До конца 2027 года 50 медработников поликлиник знают протокол направления.",
            "50 медработников сдали тест.",
        ),
    ],
    frame={
        "purpose": (
            "Люди, живущие с ВИЧ, не прерывают лечение",
            "90% клиентов принимают терапию без перерывов",
            "Данные центра СПИД",
        ),
        "outputs": (
            "Клиенты получают сопровождение равного консультанта",
            "400 клиентов получили сопровождение",
            "Карточки клиентов",
        ),
        "activities": (
            "Группы взаимопомощи, равное консультирование",
            "Бюджет 9 000 000 ₸, 4 равных консультанта",
            "Финансовые отчёты",
        ),
    },
    me=[
        (
            "Доля клиентов без перерывов в терапии (цель — 90%)",
            "Данные центра СПИД, карточки клиентов",
        ),
        ("Число медработников, сдавших тест (цель — 50)", "Результаты тестов, списки участников"),
    ],
    budget=[
        ("staff", "Консультанты", 5_000_000),
        ("activities", "Группы", 3_400_000),
        ("me", "Оценка", 600_000),
    ],
)

# --- ru: an environmental NGO in Karaganda (regional) ---------------------------------
ECO_RU = plan(
    level="regional",
    goals=(
        "До конца 2027 года 30% жителей трёх микрорайонов Караганды сдают мусор раздельно.",
        "К сентябрю 2027 года 5 предприятий города заключили с фондом договоры о приёме вторсырья.",
        "В 2027 году доля местных источников в бюджете фонда достигает 40%.",
    ),
    tasks=(
        (
            "Установить 60 контейнеров для раздельного сбора в 3 микрорайонах.",
            "60 контейнеров установлены.",
        ),
        ("Подготовить 5 договоров с предприятиями.", "Подписаны 3 договора."),
        ("Подать 4 заявки в местные фонды.", "Получено 2 гранта."),
    ),
    stakeholders=[
        ("beneficiaries", "Жители микрорайонов Юго-Восток и Майкудук"),
        ("donors", "Акимат г. Караганды (госсоцзаказ)"),
        ("donors", "ТОО «Карагандинский переработчик» (спонсор)"),
        ("partners", "Школы № 3 и № 17"),
        ("partners", "Местные СМИ"),
        ("competitors", "Частные вывозчики мусора"),
        ("opponents", "Управляющие компании, которым невыгоден раздельный сбор"),
    ],
    threats=[
        "Рост тарифов на вывоз мусора",
        "Закрытие перерабатывающего завода",
        "Равнодушие жителей",
    ],
    weaknesses=["Мало волонтёров", "Нет своего транспорта"],
    project_goal="В Караганде меньше мусора попадает на полигон.",
    objectives=[
        (
            "К концу 2027 года 30% жителей трёх микрорайонов сортируют мусор.",
            "3 000 семей сортируют мусор.",
        ),
        ("До сентября 2027 года 5 предприятий принимают вторсырьё.", "5 договоров подписаны."),
    ],
    frame={
        "purpose": (
            "Жители сортируют мусор",
            "30% жителей трёх микрорайонов сдают мусор раздельно",
            "Данные вывозчика о весе вторсырья",
        ),
        "outputs": (
            "Контейнеры установлены, жители знают правила",
            "60 контейнеров; 80% опрошенных знают правила",
            "Акты установки, опрос жителей",
        ),
        "activities": (
            "Закупка контейнеров, информационная кампания",
            "Контейнеры 3 000 000 ₸, 2 координатора, 10 месяцев",
            "Бухгалтерские документы",
        ),
    },
    me=[
        ("Доля семей, сортирующих мусор (цель — 30%)", "Опрос жителей, данные вывозчика"),
        ("Число подписанных договоров (цель — 5)", "Копии договоров"),
    ],
    budget=[
        ("equipment", "Контейнеры", 3_000_000),
        ("staff", "Координаторы", 1_800_000),
        ("me", "Опрос", 200_000),
    ],
)

# --- en: a disability inclusion NGO in Shymkent (national) -----------------------------
INCLUSION_EN = plan(
    level="national",
    goals=(
        "By the end of 2027, 80 children with disabilities aged 7-12 in Shymkent attend mainstream schools.",
        "By June 2027, sign cooperation agreements with the city education department and 10 schools.",
        "In 2027, 3 staff members complete a course in inclusive education.",
    ),
    tasks=(
        ("Within 6 months, train 40 teachers from 10 schools.", "40 teachers trained."),
        ("Hold 4 meetings with the education department.", "1 agreement signed."),
        ("Send 3 staff to the course.", "3 certificates received."),
    ),
    stakeholders=[
        ("beneficiaries", "Children with disabilities aged 7-12 and their parents"),
        ("donors", "City education department (state social order)"),
        ("partners", "Ten mainstream schools of Shymkent"),
        ("partners", "Local media"),
        ("competitors", "Private rehabilitation centres"),
        ("opponents", "Parents who object to inclusive classes"),
    ],
    threats=[
        "Cuts in the state social order",
        "Prejudice against children with disabilities",
        "Schools lack ramps",
    ],
    weaknesses=["Dependence on one donor", "Few staff with teaching experience"],
    project_goal="Children with disabilities in Shymkent learn together with their peers.",
    objectives=[
        (
            "By June 2027, 40 teachers in 10 schools use inclusive methods.",
            "40 teachers use the methods.",
        ),
        (
            "By the end of 2027, 80 children with disabilities attend mainstream classes.",
            "80 children enrolled.",
        ),
    ],
    frame={
        "purpose": (
            "Children with disabilities learn in mainstream schools",
            "80 children enrolled by the end of 2027",
            "School enrolment lists",
        ),
        "outputs": (
            "Teachers trained in inclusive methods",
            "40 teachers pass the final test",
            "Test results",
        ),
        "activities": (
            "Teacher training, parent meetings",
            "Budget 6 000 000 ₸; 3 trainers; 12 months",
            "Expense reports",
        ),
    },
    me=[
        ("Number of teachers using inclusive methods (target 40)", "Lesson observation sheets"),
        ("Number of children enrolled (target 80)", "School enrolment lists"),
    ],
    budget=[
        ("staff", "Trainers", 3_000_000),
        ("activities", "Training", 2_550_000),
        ("me", "Evaluation", 450_000),
    ],
)

# --- en: an older people's volunteer network in Pavlodar (regional) --------------------
ELDERLY_EN = plan(
    level="regional",
    goals=(
        "By December 2027, 150 lonely older people over 75 in Pavlodar receive weekly home visits.",
        "By the end of 2027, the city social protection department and 3 companies fund the visits.",
        "In 2027, the network trains 50 new volunteers and keeps 80% of them for a year.",
    ),
    tasks=(
        (
            "Within 6 months, match 60 older people with volunteers.",
            "60 older people visited weekly.",
        ),
        ("Present the programme to 5 companies.", "2 companies agreed to sponsor."),
        ("Run 2 volunteer trainings.", "25 volunteers trained."),
    ),
    stakeholders=[
        ("beneficiaries", "Lonely older people over 75 in Pavlodar"),
        ("donors", "City social protection department"),
        ("donors", "Pavlodar Petrochemical Plant (sponsor)"),
        ("partners", "Polyclinic No. 1"),
        ("competitors", "Private care agencies"),
        ("opponents", "Relatives who distrust volunteers"),
    ],
    threats=["Volunteers leave the city", "Rising fuel prices", "Cuts in social services"],
    weaknesses=["No paid coordinator", "Weak record keeping"],
    project_goal="Lonely older people in Pavlodar are not left alone.",
    objectives=[
        ("By December 2027, 150 older people receive weekly visits.", "150 older people visited."),
        ("By June 2027, 50 volunteers are trained.", "50 volunteers trained."),
    ],
    frame={
        "purpose": (
            "Older people receive regular visits",
            "150 older people visited weekly",
            "Visit logs",
        ),
        "outputs": (
            "Volunteers trained and matched",
            "50 volunteers trained; 150 matches",
            "Training lists, match register",
        ),
        "activities": (
            "Volunteer training, coordination",
            "Coordinator, training room, bus passes; budget 2 000 000 ₸",
            "Expense reports",
        ),
    },
    me=[
        ("Number of older people visited weekly (target 150)", "Visit logs, phone checks"),
        ("Number of volunteers trained (target 50)", "Attendance lists"),
    ],
    budget=[
        ("staff", "Coordinator", 1_200_000),
        ("activities", "Training", 720_000),
        ("me", "Survey", 80_000),
    ],
)

# language -> its sound plans; the first hosts that language's items
PLANS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "kk": [("youth_kk", YOUTH_KK), ("crafts_kk", CRAFTS_KK)],
    "ru": [("hiv_ru", HIV_RU), ("eco_ru", ECO_RU)],
    "en": [("inclusion_en", INCLUSION_EN), ("elderly_en", ELDERLY_EN)],
}

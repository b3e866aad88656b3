"""The rule catalogue: every check's stable code, severity, title, message and fix.

Codes are never renumbered or reused.  Messages are templates filled from a
finding's fields at output time, in the language asked for.  The rules page of
the docs (docs/rules.md) is generated from this catalogue, so it cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuk_xlsx.catalogue import Label

SEVERITIES = ("error", "warning", "coaching")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    step: str  # the step it belongs to, or "" for file-level and generic rules
    title: Label
    message: Label  # a template: {column}, {value}, {expected}, and rule-specific fields
    fix: Label


def _r(
    code: str,
    severity: str,
    step: str,
    title: tuple[str, str, str],
    message: tuple[str, str, str],
    fix: tuple[str, str, str],
) -> Rule:
    return Rule(code, severity, step, Label(*title), Label(*message), Label(*fix))


RULES: tuple[Rule, ...] = (
    # --- the file ---------------------------------------------------------------
    _r(
        "KUK-FILE-UNREADABLE",
        "error",
        "",
        ("Файл оқылмады", "Файл не прочитан", "File could not be read"),
        ("{value}", "{value}", "{value}"),
        (
            "Файлды .xlsx ретінде қайта сақтап, қайта жіберіңіз.",
            "Пересохраните файл как .xlsx и пришлите ещё раз.",
            "Save the file as .xlsx again and send it again.",
        ),
    ),
    _r(
        "KUK-FILE-NOT-TEMPLATE",
        "error",
        "",
        (
            "Бұл біздің жұмыс дәптеріміз емес",
            "Это не наша рабочая тетрадь",
            "Not one of our workbooks",
        ),
        (
            "Файлда оқу жұмыс дәптерінің парақтары табылмады.",
            "В файле не найдены листы рабочей тетради тренинга.",
            "The file has none of the training workbook's sheets.",
        ),
        (
            "Тренер жіберген жұмыс дәптерін толтырыңыз.",
            "Заполните рабочую тетрадь, которую прислал тренер.",
            "Fill in the workbook your trainer sent.",
        ),
    ),
    _r(
        "KUK-FILE-VERSION",
        "warning",
        "",
        ("Үлгінің басқа нұсқасы", "Другая версия шаблона", "Different template version"),
        (
            "Жұмыс дәптері {value} нұсқасында жасалған, қазіргісі {expected}.",
            "Рабочая тетрадь сделана в версии {value}, текущая — {expected}.",
            "The workbook was made with version {value}; the current one is {expected}.",
        ),
        (
            "Келесі жолы жаңа үлгіні пайдаланыңыз.",
            "В следующий раз используйте новый шаблон.",
            "Use the new template next time.",
        ),
    ),
    _r(
        "KUK-FILE-META",
        "warning",
        "",
        (
            "Жасырын қызметтік парақ өзгертілген",
            "Изменён скрытый служебный лист",
            "Hidden meta sheet changed",
        ),
        (
            "Қызметтік деректер өзгертілген немесе сәйкес келмейді ({value}).",
            "Служебные данные изменены или не совпадают ({value}).",
            "The workbook's service data was changed or does not agree ({value}).",
        ),
        (
            "«_meta» парағын өзгертпеңіз.",
            "Не меняйте лист «_meta».",
            "Please leave the “_meta” sheet as it is.",
        ),
    ),
    _r(
        "KUK-FILE-MACROS",
        "warning",
        "",
        ("Макростар еленбеді", "Макросы проигнорированы", "Macros ignored"),
        (
            "Файлда макростар бар; олар іске қосылған жоқ.",
            "В файле есть макросы; они не запускались.",
            "The file has macros; they were not run.",
        ),
        (
            "Файлды макроссыз .xlsx ретінде сақтаңыз.",
            "Сохраните файл как .xlsx без макросов.",
            "Save the file as .xlsx without macros.",
        ),
    ),
    _r(
        "KUK-FILE-OUTSIDE-AREA",
        "warning",
        "",
        (
            "Жұмыс аймағынан тыс деректер",
            "Данные за пределами рабочей области",
            "Data outside the work area",
        ),
        (
            "«{sheet}» парағындағы {value} жолдан немесе бағаннан әрі жазылған деректер оқылмады.",
            "Данные на листе «{sheet}» дальше строки или столбца {value} не прочитаны.",
            "Data on the sheet “{sheet}” beyond row or column {value} was not read.",
        ),
        (
            "Жазбаларды кестелердің ішіне көшіріңіз.",
            "Перенесите записи внутрь таблиц.",
            "Move the entries into the tables.",
        ),
    ),
    _r(
        "KUK-STEP-MISSING",
        "error",
        "",
        ("Қадамның парағы жоқ", "Нет листа шага", "Step sheet missing"),
        (
            "«{expected}» парағы табылмады.",
            "Лист «{expected}» не найден.",
            "The sheet “{expected}” was not found.",
        ),
        (
            "Парақты жоймаңыз: жаңа үлгіден көшіріп алыңыз.",
            "Не удаляйте лист: скопируйте его из нового шаблона.",
            "Do not delete the sheet: copy it back from a new template.",
        ),
    ),
    # --- values -------------------------------------------------------------------
    _r(
        "KUK-VALUE-NOT-IN-LIST",
        "error",
        "",
        ("Тізімде жоқ мән", "Значение не из списка", "Value not in the list"),
        (
            "«{column}» бағанында «{value}» тізімде жоқ.",
            "В столбце «{column}» значения «{value}» нет в списке.",
            "In “{column}”, “{value}” is not one of the list's choices.",
        ),
        (
            "Ұяшықтағы тізімнен таңдаңыз: {expected}.",
            "Выберите из списка в ячейке: {expected}.",
            "Choose from the cell's list: {expected}.",
        ),
    ),
    _r(
        "KUK-VALUE-NOT-NUMBER",
        "error",
        "",
        ("Сан емес", "Не число", "Not a number"),
        (
            "«{column}» бағанында «{value}» сан ретінде оқылмады.",
            "В столбце «{column}» «{value}» не читается как число.",
            "In “{column}”, “{value}” cannot be read as a number.",
        ),
        (
            "Тек санды жазыңыз, мысалы 150000.",
            "Впишите только число, например 150000.",
            "Type only the number, e.g. 150000.",
        ),
    ),
    _r(
        "KUK-VALUE-NOT-YES-NO",
        "warning",
        "",
        ("Иә/жоқ емес", "Не да/нет", "Not yes/no"),
        (
            "«{column}» бағанында «{value}» — иә немесе жоқ емес.",
            "В столбце «{column}» «{value}» — не «да» и не «нет».",
            "In “{column}”, “{value}” is neither yes nor no.",
        ),
        (
            "Тізімнен «иә» немесе «жоқ» таңдаңыз.",
            "Выберите «да» или «нет» из списка.",
            "Choose “yes” or “no” from the list.",
        ),
    ),
    _r(
        "KUK-VALUE-NOT-DATE",
        "warning",
        "",
        ("Күн емес", "Не дата", "Not a date"),
        (
            "«{column}»: «{value}» күн ретінде оқылмады.",
            "«{column}»: «{value}» не читается как дата.",
            "“{column}”: “{value}” cannot be read as a date.",
        ),
        (
            "Күнді 31.12.2026 түрінде жазыңыз.",
            "Впишите дату в виде 31.12.2026.",
            "Type the date as 31.12.2026.",
        ),
    ),
    _r(
        "KUK-VALUE-INTERPRETED",
        "coaching",
        "",
        (
            "Мән түсіндіріліп оқылды",
            "Значение прочитано с толкованием",
            "Value read with interpretation",
        ),
        (
            "«{column}»: «{value}» {expected} ретінде оқылды.",
            "«{column}»: «{value}» прочитано как {expected}.",
            "“{column}”: “{value}” was read as {expected}.",
        ),
        (
            "Дұрыс болса, ештеңе істемеңіз; болмаса, тек санды жазыңыз.",
            "Если верно — ничего не делайте; иначе впишите только число.",
            "If that is right, nothing to do; otherwise type just the number.",
        ),
    ),
    # --- completeness -----------------------------------------------------------------
    _r(
        "KUK-STEP-EMPTY",
        "error",
        "",
        ("Қадам толтырылмаған", "Шаг не заполнен", "Step not filled in"),
        (
            "«{expected}» қадамы толығымен бос.",
            "Шаг «{expected}» полностью пуст.",
            "The step “{expected}” is empty.",
        ),
        (
            "Парақтағы нұсқаулық пен мысалды қараңыз да, сары ұяшықтарды толтырыңыз.",
            "Посмотрите инструкцию и пример на листе и заполните жёлтые ячейки.",
            "Read the instructions and the example on the sheet and fill in the yellow cells.",
        ),
    ),
    _r(
        "KUK-REQUIRED-FIELD",
        "error",
        "",
        ("Міндетті өріс бос", "Обязательное поле пусто", "Required field empty"),
        ("«{column}» толтырылмаған.", "«{column}» не заполнено.", "“{column}” is empty."),
        (
            "Бұл ұяшықты толтырыңыз (* белгісі — міндетті).",
            "Заполните эту ячейку (* — обязательно).",
            "Fill in this cell (* marks a required one).",
        ),
    ),
    _r(
        "KUK-REQUIRED-CELL",
        "error",
        "",
        (
            "Жолда міндетті ұяшық бос",
            "В строке пуста обязательная ячейка",
            "Required cell empty in a row",
        ),
        (
            "{row}-жолда «{column}» толтырылмаған.",
            "В строке {row} не заполнено «{column}».",
            "Row {row}: “{column}” is empty.",
        ),
        (
            "Жолды толық толтырыңыз немесе оны бос қалдырыңыз.",
            "Заполните строку полностью или оставьте её пустой.",
            "Complete the row, or leave it entirely empty.",
        ),
    ),
    _r(
        "KUK-MIN-ROWS",
        "error",
        "",
        ("Жолдар аз", "Мало строк", "Too few rows"),
        (
            "{value} жол толтырылған, кемінде {expected} керек.",
            "Заполнено строк: {value}; нужно не меньше {expected}.",
            "{value} rows filled; at least {expected} are needed.",
        ),
        (
            "Кестеге тағы жолдар қосыңыз.",
            "Добавьте в таблицу ещё строки.",
            "Add more rows to the table.",
        ),
    ),
    # --- stakeholders ---------------------------------------------------------------
    _r(
        "KUK-STAKEHOLDER-CATEGORIES",
        "warning",
        "stakeholders",
        ("Барлық бес санат жоқ", "Не все пять категорий", "Not all five categories"),
        (
            "Мына санаттарда субъект жоқ: {value}.",
            "Нет субъектов в категориях: {value}.",
            "No stakeholder in the categories: {value}.",
        ),
        (
            "Әр санатқа кемінде бір субъект жазыңыз (бәсекелестер мен қарсыластарды да ойланыңыз).",
            "Впишите хотя бы одного субъекта в каждую категорию (подумайте и о конкурентах, и о противниках).",
            "List at least one stakeholder in each category (think of competitors and opponents too).",
        ),
    ),
    _r(
        "KUK-STAKEHOLDER-DETAIL",
        "warning",
        "stakeholder_detail",
        ("3a қадамында талдау жоқ", "Нет анализа в шаге 3a", "No detail row in step 3a"),
        (
            "«{value}» ({expected}) 3-қадамда бар, бірақ 3a-қадамда талданбаған.",
            "«{value}» ({expected}) есть в шаге 3, но не разобран в шаге 3a.",
            "“{value}” ({expected}) is listed in step 3 but has no row in step 3a.",
        ),
        (
            "3a-қадамның тиісті кестесіне сол атаумен жол қосыңыз.",
            "Добавьте строку с тем же названием в нужную таблицу шага 3a.",
            "Add a row with the same name to the right table of step 3a.",
        ),
    ),
    # --- SWOT -----------------------------------------------------------------------
    _r(
        "KUK-SWOT-QUADRANT",
        "error",
        "",
        ("SWOT-тың бір бөлігі бос", "Пустой квадрант SWOT", "Empty SWOT quadrant"),
        (
            "«{column}» бөлігінде бірде-бір жазба жоқ.",
            "В квадранте «{column}» нет ни одной записи.",
            "The quadrant “{column}” has no entry.",
        ),
        (
            "Кемінде біреуін жазыңыз: SWOT шешімге әкелуі керек.",
            "Впишите хотя бы одну: SWOT должен вести к решениям.",
            "Write at least one: SWOT has to lead to decisions.",
        ),
    ),
    _r(
        "KUK-SWOT-PEST-SPHERE",
        "warning",
        "swot_external",
        ("PEST саласы қарастырылмаған", "Сфера PEST не рассмотрена", "PEST sphere not considered"),
        (
            "«{value}» саласында {count} үрдіс, {expected} күтіледі.",
            "В сфере «{value}» трендов: {count}; ожидается {expected}.",
            "The “{value}” sphere has {count} trend(s); {expected} are expected.",
        ),
        (
            "Әр салада үш негізгі үрдісті белгілеңіз.",
            "Отметьте три главных тренда в каждой сфере.",
            "Mark the three main trends in each sphere.",
        ),
    ),
    _r(
        "KUK-SWOT-CRITICAL",
        "coaching",
        "swot_internal",
        (
            "Сыни әлсіз жақ белгіленбеген",
            "Не отмечены критичные слабые стороны",
            "No critical weakness marked",
        ),
        (
            "Әлсіз жақтардың бірде-біреуі сыни деп белгіленбеген.",
            "Ни одна слабая сторона не отмечена как критичная.",
            "No weakness is marked as critical.",
        ),
        (
            "Топпен келісіп, сыни әлсіз жақтарды «иә» деп белгілеңіз.",
            "Договоритесь в группе и отметьте критичные слабые стороны «да».",
            "Agree in the group and mark the critical weaknesses “yes”.",
        ),
    ),
    # --- key success factors ------------------------------------------------------------
    _r(
        "KUK-KSF-COUNT",
        "error",
        "success_factors",
        ("Факторлар саны", "Число факторов", "Number of success factors"),
        (
            "{value} фактор жазылған; {expected} керек.",
            "Записано факторов: {value}; нужно {expected}.",
            "{value} factor(s) written; {expected} are needed.",
        ),
        (
            "Топпен 4–8 маңызды факторға келісіңіз.",
            "Договоритесь в группе о 4–8 ключевых факторах.",
            "Agree in the group on 4 to 8 key factors.",
        ),
    ),
    # --- goals ----------------------------------------------------------------------
    _r(
        "KUK-GOALS-KINDS",
        "error",
        "goals",
        ("Мақсаттың түрі жоқ", "Нет цели какого-то вида", "A kind of goal is missing"),
        (
            "Мына түрдегі мақсат жоқ: {value}.",
            "Нет цели вида: {value}.",
            "No goal of the kind: {value}.",
        ),
        (
            "Әр түрге кемінде бір стратегиялық мақсат қойыңыз.",
            "Поставьте хотя бы одну цель каждого вида.",
            "Set at least one strategic goal of each kind.",
        ),
    ),
    _r(
        "KUK-GOALS-SMART-ANSWERED",
        "error",
        "goals",
        ("SMART тексеру толық емес", "Проверка SMART не завершена", "SMART check not answered"),
        (
            "{row}-жолдағы мақсатта «{column}» белгіленбеген.",
            "У цели в строке {row} не отмечено «{column}».",
            "The goal in row {row} has no answer for “{column}”.",
        ),
        (
            "Әр мақсат үшін S, M, A, R, T бағандарында «иә» немесе «жоқ» таңдаңыз.",
            "Для каждой цели выберите «да» или «нет» в столбцах S, M, A, R, T.",
            "For every goal choose “yes” or “no” in columns S, M, A, R, T.",
        ),
    ),
    _r(
        "KUK-GOALS-SMART-M",
        "coaching",
        "goals",
        ("Өлшенбейтін мақсат", "Цель не измерима", "Goal not measurable"),
        (
            "Мақсатта бірде-бір сан жоқ, сондықтан оны өлшеу қиын.",
            "В цели нет ни одного числа — её трудно измерить.",
            "The goal has no number, so it is hard to measure.",
        ),
        (
            "Қанша адам, қанша пайыз немесе қандай көрсеткіш екенін жазыңыз.",
            "Укажите, сколько людей, сколько процентов или какой показатель.",
            "Say how many people, what percentage or which figure.",
        ),
    ),
    _r(
        "KUK-GOALS-SMART-T",
        "coaching",
        "goals",
        ("Мерзімі жоқ мақсат", "У цели нет срока", "Goal has no time frame"),
        (
            "Мақсатта мерзім көрсетілмеген (ай, жыл, күн).",
            "В цели не указан срок (месяц, год, дата).",
            "The goal states no period (months, year, a date).",
        ),
        (
            "Мысалы: «2027 жылдың соңына дейін» немесе «алғашқы 6 айда».",
            "Например: «до конца 2027 года» или «за первые 6 месяцев».",
            "For example: “by the end of 2027” or “within the first 6 months”.",
        ),
    ),
    _r(
        "KUK-GOALS-SMART-A",
        "coaching",
        "goals",
        (
            "Аумағы не тобы жоқ мақсат",
            "У цели нет территории или группы",
            "Goal names no place or group",
        ),
        (
            "Мақсатта аумақ немесе халық тобы көрсетілмеген.",
            "В цели не указаны территория или группа населения.",
            "The goal names no territory or population group.",
        ),
        (
            "Кім үшін және қайда екенін жазыңыз: жасы, жынысы, қаласы, ауданы.",
            "Укажите, для кого и где: возраст, пол, город, район.",
            "Say for whom and where: age, sex, city, district.",
        ),
    ),
    _r(
        "KUK-RESULT-NOT-PROCESS",
        "coaching",
        "",
        ("Нәтиже емес, процесс", "Процесс, а не результат", "A process, not a result"),
        (
            "«{value}» процесті сипаттайды, соңғы нәтижені емес.",
            "«{value}» описывает процесс, а не конечный результат.",
            "“{value}” describes a process, not an end result.",
        ),
        (
            "Не өзгеретінін жазыңыз: «... 50%-ға артады», «... 200 адам алады».",
            "Напишите, что изменится: «... вырастет на 50%», «... получат 200 человек».",
            "Write what will have changed: “... rises by 50%”, “... 200 people receive ...”.",
        ),
    ),
    # --- schedule ----------------------------------------------------------------------
    _r(
        "KUK-SCHEDULE-GOAL-UNKNOWN",
        "error",
        "schedule",
        ("7-қадамда жоқ мақсат", "Цели нет в шаге 7", "Goal not in step 7"),
        (
            "«{value}» мақсаты 7-қадамның мақсаттарының арасында жоқ.",
            "Цели «{value}» нет среди целей шага 7.",
            "The goal “{value}” is not one of step 7's goals.",
        ),
        (
            "Мақсатты ұяшықтағы тізімнен таңдаңыз.",
            "Выберите цель из списка в ячейке.",
            "Choose the goal from the cell's list.",
        ),
    ),
    _r(
        "KUK-SCHEDULE-NO-MONTH",
        "error",
        "schedule",
        ("Айы белгіленбеген", "Не отмечен месяц", "No month marked"),
        (
            "{row}-жолдағы іс-әрекетке бірде-бір ай белгіленбеген.",
            "У действия в строке {row} не отмечен ни один месяц.",
            "The activity in row {row} has no month marked.",
        ),
        (
            "1–6 айлардың бағандарына «x» қойыңыз.",
            "Поставьте «x» в столбцах месяцев 1–6.",
            "Put an “x” in the month columns 1–6.",
        ),
    ),
    _r(
        "KUK-SCHEDULE-GOAL-NO-ACTIVITY",
        "warning",
        "schedule",
        ("Іс-әрекетсіз мақсат", "Цель без действий", "Goal without activity"),
        (
            "«{value}» мақсатына 6 айлық жоспарда іс-әрекет жоқ.",
            "Для цели «{value}» нет действий в плане на 6 месяцев.",
            "The goal “{value}” has no activity in the six-month plan.",
        ),
        (
            "Әр мақсатқа кемінде бір іс-әрекет жоспарлаңыз.",
            "Запланируйте хотя бы одно действие на каждую цель.",
            "Plan at least one activity for every goal.",
        ),
    ),
    # --- logframe and M&E ------------------------------------------------------------------
    _r(
        "KUK-INDICATOR-NO-QUANTITY",
        "coaching",
        "",
        ("Көрсеткіште сан жоқ", "В показателе нет числа", "Indicator has no quantity"),
        (
            "«{value}» көрсеткішінде өлшенетін шама жоқ.",
            "В показателе «{value}» нет измеримой величины.",
            "The indicator “{value}” contains no measurable quantity.",
        ),
        (
            "Санын, пайызын немесе мерзімін жазыңыз.",
            "Укажите число, процент или срок.",
            "Give a number, a percentage or a date.",
        ),
    ),
    _r(
        "KUK-ME-OBJECTIVE-UNCOVERED",
        "warning",
        "me_plan",
        ("Тапсырмаға БмБ жоқ", "Для задачи нет МиО", "Objective not in the M&E plan"),
        (
            "«{value}» тапсырмасына БмБ жоспарында жол жоқ.",
            "Для задачи «{value}» нет строки в плане МиО.",
            "The objective “{value}” has no row in the M&E plan.",
        ),
        (
            "Әр тапсырмаға санды және сапалы көрсеткіш жазыңыз.",
            "Для каждой задачи укажите количественный и качественный показатель.",
            "Give every objective a quantitative and a qualitative indicator.",
        ),
    ),
    # --- budget -------------------------------------------------------------------------
    _r(
        "KUK-BUDGET-NEGATIVE",
        "error",
        "budget",
        ("Теріс сома", "Отрицательная сумма", "Negative amount"),
        (
            "«{column}»: {value} — теріс сан.",
            "«{column}»: {value} — отрицательное число.",
            "“{column}”: {value} is negative.",
        ),
        (
            "Сомалар 0-ден кем болмауы керек.",
            "Суммы не могут быть меньше 0.",
            "Amounts cannot be below 0.",
        ),
    ),
    _r(
        "KUK-BUDGET-TOTAL-MISMATCH",
        "error",
        "budget",
        ("Жиынтық сәйкес емес", "Итог не совпадает", "Total does not match"),
        (
            "Файлдағы жиынтық {value}, ал жолдардың қосындысы {expected}.",
            "Итог в файле {value}, а сумма строк {expected}.",
            "The file shows a total of {value}; the lines add up to {expected}.",
        ),
        (
            "Жиынтық ұяшыққа жазбаңыз: ол өзі есептеледі.",
            "Не пишите в ячейку итога: она считается сама.",
            "Do not type in the total cell: it is calculated for you.",
        ),
    ),
    _r(
        "KUK-BUDGET-ME-SHARE",
        "error",
        "budget",
        ("БмБ үлесі шектен тыс", "Доля МиО вне допустимых пределов", "M&E share outside the band"),
        (
            "БмБ үлесі {share} ({amount} / {total}); {level} деңгейде {low}–{high} болуы керек.",
            "Доля МиО {share} ({amount} из {total}); на уровне «{level}» должна быть {low}–{high}.",
            "The M&E share is {share} ({amount} of {total}); at {level} level it should be {low}–{high}.",
        ),
        (
            "«Бақылау және бағалау» санатындағы жолдарды түзетіңіз: бұл қаржының көбі адамдарға төленеді.",
            "Поправьте строки категории «Мониторинг и оценка»: большая часть этих средств — оплата труда.",
            "Adjust the “Monitoring and evaluation” lines: most of this money pays for people.",
        ),
    ),
    # --- fundraising -------------------------------------------------------------------------
    _r(
        "KUK-FUNDRAISING-ONE-SOURCE",
        "warning",
        "fundraising",
        ("Бір ғана көз", "Только один источник", "Only one source"),
        (
            "Жоспарда бір ғана қаржы көзі бар: {value}.",
            "В плане только один источник средств: {value}.",
            "The plan has only one funding source: {value}.",
        ),
        (
            "Қаржы көздерін әртараптандырыңыз: жергілікті донорларды тартыңыз.",
            "Диверсифицируйте источники: привлекайте местных доноров.",
            "Diversify: bring in local donors and other sources.",
        ),
    ),
    _r(
        "KUK-FUNDRAISING-LARGEST-SHARE",
        "coaching",
        "fundraising",
        ("Бір көзге тәуелділік", "Зависимость от одного источника", "Dependence on one source"),
        (
            "Ең үлкен көз — {value}: күтілетін соманың {share}.",
            "Крупнейший источник — {value}: {share} ожидаемой суммы.",
            "The largest source, {value}, is {share} of the expected amount.",
        ),
        (
            "Бір көздің үлесін 50%-дан төмен ұстауға тырысыңыз.",
            "Старайтесь, чтобы доля одного источника была ниже 50%.",
            "Try to keep any one source below 50%.",
        ),
    ),
)

CATALOGUE: dict[str, Rule] = {r.code: r for r in RULES}
assert len(CATALOGUE) == len(RULES), "duplicate rule code"

# --- word lists for the coaching heuristics (all languages are always checked:
# people mix Kazakh and Russian in one sentence) -------------------------------------
# An entry matches at the start of a word ("месяц" in "месяцев"); an entry ending in a
# space must be the whole word ("ай " is a month, not the start of "айтарлықтай").

TIME_WORDS = (
    # kk
    "ай ",
    "айда",
    "айдың",
    "айына",
    "айында",
    "айға",
    "айлық",
    "жыл",
    "жылы",
    "жылға",
    "жылдың",
    "жылдан",
    "дейін",
    "соңына",
    "тоқсан",
    "апта",
    "күн",
    "мерзім",
    # ru
    "месяц",
    "месяца",
    "месяцев",
    "мес ",
    "год",
    "года",
    "году",
    "лет",
    "полгод",
    "полугод",
    "до конца",
    "к концу",
    "квартал",
    "недел",
    "срок",
    "ежемесяч",
    "ежегод",
    # en
    "month",
    "year",
    "quarter",
    "week",
    "by the end",
    "within",
    "until",
    "deadline",
    "annual",
)
MONTH_NAMES = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
    "январ",
    "феврал",
    "март",
    "апрел",
    "мая",
    "май",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
AREA_WORDS = (
    # kk
    "қала",
    "облыс",
    "аудан",
    "ауыл",
    "өңір",
    "жастағы",
    "жас ",
    "әйел",
    "бала",
    "жасөспірім",
    "жастар",
    "тұрғын",
    "отбасы",
    "мүгедек",
    "қарт",
    "студент",
    "түлек",
    # ru
    "город",
    "област",
    "район",
    "сел",
    "регион",
    "возраст",
    "лет ",
    "женщин",
    "дет",
    "молод",
    "подрост",
    "жител",
    "семь",
    "инвалид",
    "пожил",
    "студент",
    "выпускник",
    # en
    "city",
    "region",
    "district",
    "village",
    "aged",
    "women",
    "children",
    "youth",
    "young",
    "teenager",
    "residents",
    "families",
    "disab",
    "elderly",
    "students",
    "graduates",
    # places
    "алматы",
    "астана",
    "шымкент",
    "қарағанды",
    "караганд",
    "ақтөбе",
    "актобе",
    "тараз",
    "павлодар",
    "өскемен",
    "усть-каменогорск",
    "семей",
    "атырау",
    "қостанай",
    "костанай",
    "қызылорда",
    "кызылорда",
    "орал",
    "уральск",
    "петропавл",
    "ақтау",
    "актау",
    "түркістан",
    "туркестан",
    "көкшетау",
    "кокшетау",
    "талдықорған",
    "талдыкорган",
    "жезқазған",
    "жезказган",
    "kazakhstan",
    "қазақстан",
    "казахстан",
    "almaty",
    "astana",
    "shymkent",
)
PROCESS_WORDS = (
    # kk: verbal nouns of doing rather than of having achieved
    "жүргізу",
    "өткізу",
    "ұйымдастыру",
    "көмектесу",
    "көмек көрсету",
    "қолдау көрсету",
    "жұмыс істеу",
    "іске асыру",
    "жүзеге асыру",
    "қатысу",
    "талқылау",
    # ru
    "проведение",
    "провести",
    "проводить",
    "организация",
    "организовать",
    "содействие",
    "оказание помощи",
    "работа по",
    "осуществление",
    "реализация",
    "поддержка",
    "участие",
    # en
    "conduct",
    "organise",
    "organize",
    "hold ",
    "holding",
    "support",
    "help",
    "work on",
    "carry out",
    "implement",
    "provide",
    "participate",
    "discuss",
)

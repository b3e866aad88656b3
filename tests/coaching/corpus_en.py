"""Seeded mistakes and near misses in English, as NGOs write them for their funders.

Rows: (kind of mistake, place, text, expected tags[, the rest of the row]).
A goal's SMART answers are all "yes" unless ``no`` lists the letters answered "no".
"""

from __future__ import annotations

from tests.coaching.model import items

INTERNAL = {"kind": "internal"}
RELATIONS = {"kind": "relations"}

ROWS = (
    # --- process, not result
    (
        "process",
        "goal",
        "Conduct trainings and seminars for young people in Karaganda",
        "process m! t!",
    ),
    (
        "process",
        "goal",
        "Provide psychological support to teenagers and their parents in Almaty",
        "process m! t!",
    ),
    (
        "process",
        "goal",
        "To support families raising children with disabilities in Shymkent until the end of 2027",
        "process m!",
    ),
    (
        "process",
        "goal",
        "Organising summer camps for children from low-income families in rural Almaty region",
        "process m t",
        {"no": "m t"},
    ),
    (
        "process",
        "goal",
        "Participate in the public council of the city akimat",
        "process m! t!",
        RELATIONS,
    ),
    (
        "process",
        "objective",
        "Carry out an HIV prevention awareness campaign among young people in Temirtau",
        "process",
    ),
    (
        "process",
        "objective",
        "Hold 12 trainings for 240 schoolchildren in Kyzylorda by May 2027",
        "process",
    ),
    ("process", "objective", "Help rural women to start their own businesses", "process"),
    (
        "process",
        "result",
        "Implementation of 6 round tables with akimat representatives",
        "process",
    ),
    ("process", "purpose", "Training of medical staff in polyclinics", "process"),
    (
        "process",
        "project_goal",
        "Assist the social adaptation of people released from prison",
        "process",
    ),
    # near misses
    (
        "process",
        "goal",
        "By the end of 2027, 200 trained teenagers in Almaty know where to ask for help",
        "",
    ),
    (
        "process",
        "objective",
        "By June 2027, 60% of the women trained in Zhambyl district have started a business",
        "",
    ),
    ("process", "result", "12 trainings held; 240 schoolchildren trained", ""),
    ("process", "result", "The helpline works every day; 900 calls answered", ""),
    (
        "process",
        "goal",
        "Support for families: by 2028, 80 families in Shymkent raising children with disabilities use day care",
        "",
    ),
    # --- SMART answered "yes" with no target or date
    (
        "smart_claimed",
        "goal",
        "Improve the legal literacy of residents of rural districts in Almaty region",
        "m! t!",
    ),
    (
        "smart_claimed",
        "goal",
        "Improve the quality of life of older people in Pavlodar by 2028",
        "m!",
    ),
    (
        "smart_claimed",
        "goal",
        "Strengthen the organisation's financial management",
        "m t",
        {"kind": "internal", "no": "m t"},
    ),
    # --- a year, a date or an age is no target; a number written as a word is one
    (
        "target",
        "goal",
        "By the end of 2027, reduce drug use among young people aged 14-29 in Temirtau",
        "m!",
    ),
    (
        "target",
        "goal",
        "Between 2026 and 2028, raise awareness of their rights among women aged 18 to 45 in Kyzylorda",
        "m!",
    ),
    (
        "target",
        "goal",
        "By 2028, fifty families in Kokshetau raising children with disabilities use day care services",
        "",
    ),
    ("target", "goal", "By the end of 2027, increase our funding sources to four", "", INTERNAL),
    # --- T
    ("deadline", "goal", "Place 40 graduates of the programme in IT companies in Karaganda", "t!"),
    (
        "deadline",
        "goal",
        "In the first quarter of 2027, open 2 free legal aid points in Taldykorgan",
        "",
    ),
    # --- A only for outward goals
    ("area", "goal", "By the end of 2027, 500 people receive free legal advice", "a"),
    (
        "area",
        "goal",
        "By December 2027, 3 staff members complete a fundraising course",
        "",
        INTERNAL,
    ),
    # --- SWOT
    ("swot", "weakness", "Foreign donors are cutting grants to Kazakhstan", "weak_ext"),
    ("swot", "weakness", "High inflation and rising rents", "weak_ext"),
    ("swot", "weakness", "New NGO law tightens reporting", "weak_ext"),
    ("swot", "threat", "We have no accountant of our own", "threat_int"),
    ("swot", "threat", "High staff turnover in the organisation", "threat_int"),
    ("swot", "weakness", "Dependence on one donor", ""),
    ("swot", "threat", "Demand for services exceeds our capacity", ""),
    # --- stakeholders
    (
        "stakeholders",
        "stakeholder",
        "Almaly district akimat",
        "misfiled",
        {"category": "beneficiaries"},
    ),
    ("stakeholders", "stakeholder", "School No. 25", "misfiled", {"category": "beneficiaries"}),
    ("stakeholders", "stakeholder", "Local media", "misfiled", {"category": "beneficiaries"}),
    (
        "stakeholders",
        "stakeholder",
        "Pupils of schools No. 12 and 45",
        "",
        {"category": "beneficiaries"},
    ),
    ("stakeholders", "stakeholder", "City akimat (state social order)", "", {"category": "donors"}),
    # --- schedule
    ("schedule", "schedule_row", "activity", "section", {"section": "capacity"}),
    ("schedule", "schedule_row", "relations", "", {"section": "capacity"}),
    # --- means of verification
    ("verification", "me_verification", "Will be checked", "evidence"),
    ("verification", "me_verification", "n/a", "evidence"),
    ("verification", "lf_verification", "Monitoring by the project manager", "evidence"),
    ("verification", "me_verification", "Attendance register, exam record sheet", ""),
    ("verification", "me_verification", "Telephone survey of graduates", ""),
    # --- the logframe's activities row
    ("inputs", "inputs", "80% of participants satisfied with the trainings", "inputs"),
    ("inputs", "inputs", "All activities carried out as planned", "inputs"),
    ("inputs", "inputs", "Project schedule and budget", ""),
    ("inputs", "inputs", "Trainer, venue, handouts", ""),
    # --- M&E share
    (
        "me_share",
        "budget",
        "national, 20%",
        "me-",
        {
            "level": "national",
            "lines": [("staff", 2_000_000), ("activities", 2_000_000), ("me", 1_000_000)],
        },
    ),
    (
        "me_share",
        "budget",
        "regional, 2%",
        "me+",
        {
            "level": "regional",
            "lines": [("staff", 2_000_000), ("activities", 2_900_000), ("me", 100_000)],
        },
    ),
    (
        "me_share",
        "budget",
        "national, 10%",
        "",
        {
            "level": "national",
            "lines": [("staff", 2_000_000), ("activities", 2_500_000), ("me", 500_000)],
        },
    ),
)

ITEMS = items("en", ROWS)

"""The Portsmouth delivery-plan tables (shared/seeds/002), rebuilt as a real Word document.

Every quirk of the original is kept: an empty first header cell, tables continued after a
page break with the header repeated, rows split across the break (empty ID cell), one-line
rows (some merged across the row, some in the first cell only), "EI - COMPLETE", RAG cells
such as "AMBER - stalled by Covid" and "POLICE ACTION AMBER", "NEW MEASURE" objectives,
owners with organisations in brackets, a nested table of monthly figures inside an update,
a footnote paragraph between tables, and priority F's "By When/Update" column of dates.
"""

from __future__ import annotations

from pathlib import Path

import docx

H = ["", "Objective", "Action", "Suggested measure", "By Whom", "Update January 2022", "RAG"]
HD = ["", "Objective", "Action", "Measures", "By Whom", "Update January 2022", "RAG"]
HE = ["", "Objective", "Action", "Measures", "By Whom", "Updated January 2022", "RAG"]
HF = ["", "Objective", "Action", "Suggested Measures", "By Whom", "By When/Update", "RAG"]
UPD_D = "Due to be updated by the police in March 2022 to be aligned and consistent with Police DA strategy"  # noqa: E501
MERGED = "merged"  # a one-line row whose cell spans the whole row

RTA = [("2021 / January", "8", "7"), ("2021 / February", "2", "1"), ("2021 / March", "4", "3")]

# (paragraphs before the table, header, rows); a row is a list of 7 cells, or (text, MERGED)
TABLES: list[tuple[list[str], list[str], list[object]]] = [
    (
        ["Delivery Plan", "Priority A: Promote healthy relationships"],
        H,
        [
            [
                "A1",
                "Influence the development of sex and relationship education implementation",
                "Offer advice and guidance to schools in developing the new PSHE framework",
                "Evidence of influence in school policies\n75% (42 of 56 schools) have policy available on website",  # noqa: E501
                "Hannah Byrne",
                "PCC undertake an annual audit on publicly available RSHE policy (referring to the National RSHE Guidance) in the Winter/Spring term.",  # noqa: E501
                "AMBER",
            ],
            ("A2 COMPLETE", MERGED),
        ],
    ),
    (
        [""],
        H,
        [
            [
                "A3",
                "Improve identification in early help services Athena (midwives) and ECHO (health visitors)",  # noqa: E501
                "Work with Early Help to ensure questions asked about unhealthy behaviours/relationships recorded and appropriate action taken",  # noqa: E501
                "Safeguarding concerns identified by maternity services - 190 (up from 77 in 19/20) - 38% increase\nDisclosures to Health Visitors 486 (down from 535 19/20) - 10% reduction",  # noqa: E501
                "Kelly Pierce/Danni Honey/Karen Davies",
                "Whilst the Health Visiting service saw a reduction of 10% (n.49) of families where DA has been a factor.",  # noqa: E501
                "AMBER/ RED",
            ],
            [
                "A4",
                "Review agency processes so that workers feel empowered to call planning meetings to resolve difficulties",  # noqa: E501
                "Develop and support the leadership skills of individual professionals",
                "Support/training provided",
                "Alison Lawrence (Portsmouth Safeguarding Adults Board - PSAB) and Bruce Marr",
                "PSAB will audit processes related to domestic abuse in 2022. See also E3",
                "AMBER - stalled by Covid",
            ],
            [
                "A5",
                "Raise awareness of 'Right to know'/'Right to ask'",
                "Work with Police to raise awareness",
                "Increased number of requests - monitored quarterly",
                "Dee Hutchinson (Police Lead)",
                "Domestic Violence Disclosure Scheme: Training and education in the DVDS RTK for all staff.",  # noqa: E501
                "AMBER",
            ],
        ],
    ),
    (
        [],
        H,
        [
            ["", "", "", "", "", ("PORTSMOUTH RTA: Portsmouth: 28 RTK: Portsmouth 23", RTA), ""],
            ["A6 - No progress after 18 months - removed - RAG RED", "", "", "", "", "", ""],
            ("A7 COMPLETE", MERGED),
        ],
    ),
    (
        ["Priority B: Improve identification, assessment, and safety planning"],
        H,
        [
            [
                "B1",
                "Ensure NHS and other health services actively identify signs and symptoms",
                "Develop regular audit of health services including GP surgeries",
                "Increased no. of referrals from health services\nPaper to H&WBB executive re GP referrals.",  # noqa: E501
                "Chair - Domestic Abuse Steering Group/Bruce Marr",
                "The proportion of referrals from health providers remains substantially lower.",
                "RED",
            ],
            ["B2 REMOVED - RAG RED", "", "", "", "", "", ""],
            ("B3 COMPLETE", MERGED),
            [
                "B7",
                "NEW MEASURE To raise awareness and develop skills for working with parents where there is parental conflict",  # noqa: E501
                "To deliver reducing parental conflict and Up2U Family Practice training",
                "Numbers attending training\nAnalysis of training feedback\nStakeholder event to embed provision",  # noqa: E501
                "Amy Ford / Kelly Pierce",
                "New measure - funding is currently until the end of March 2022.",
                "",
            ],
        ],
    ),
    (
        ["Priority C: Challenge and support those who use abusive or unhealthy behaviours"],
        H,
        [
            ("C1 COMPLETE", MERGED),
            [
                "C2",
                "Conditional Cautioning Relationship Abuse (CARA - awareness raising programme)",
                "Establish status of programme and measures of success",
                "Number of repeat perpetrators: Q2 20/21 263 Q2 21/22 326",
                "OPCC Lisa Allum",
                "Latest data from Lisa Allum: Q1 (2021-22) – 19 intimate partner referrals",
                "POLICE ACTION AMBER",
            ],
            [
                "C3",
                "Up2U Creating Healthy Relationships - understand impact and sustainability",
                "Work with Stop Domestic Abuse to review performance measures.",
                "Number of referrals",
                "Bruce Marr/Amy Ford",
                "The agreed measures provided are: Active referrals to Up2U",
                "amber",
            ],
        ],
    ),
    (
        [""],
        H,
        [
            ["", "", "", "", "", "Funded resource is limited.", ""],
            [
                "C4",
                "Explore models of interventions with perpetrators",
                "Work with landlords (inc. local authority) to explore temporary accommodation and 'Amber House'.",  # noqa: E501
                "More victims remaining at home where it is safe for them to do so",
                "Teresa O'Toole/Sayma Begum",
                "Recommendation for PCC housing to join Domestic Abuse Housing Alliance - See new priority F",  # noqa: E501
                "RED",
            ],
        ],
    ),
    (
        ["Priority D: Hold to account those who use coercive control and/or violence"],
        HD,
        [
            [
                "D1",
                "Increase use of Domestic Abuse Prevention Notice/Orders",
                "",
                "",
                "",
                UPD_D,
                "",
            ],
            ["D5", "Increase arrest rate", "", "", "", UPD_D, ""],
        ],
    ),
    (
        [
            "²⁵ The Domestic Violence Protection Notice will change to the Domestic ABUSE "
            "protection notice"
        ],
        HD,
        [
            ["", "and conviction rate", "", "", "", "", ""],
        ],
    ),
    (
        ["Priority E: Improve performance measures, quality assurance and workforce development"],
        HE,
        [  # noqa: E501
            ["EI - COMPLETE", "", "", "", "", "", ""],
            [
                "E2",
                "Develop new measures of success including",
                "TBC - once interviews with service users complete.",
                "Report to DA Steering Group",
                "Hayden Ginns/Lisa Wills/Sam Graves",
                "Survey complete but not being used consistently yet.",
                "RED",
            ],
        ],
    ),
    (
        [""],
        HE,
        [
            ["", "the voice of the child", "", "", "", "", ""],
            [
                "E3",
                "Develop multi-agency audit programme",
                "Work with health and other partners",
                "",
                "Rachael Roberts/Alison Lawrence/LW",
                "Update Sept 21 (emailed Alison L for update)",
                "AMBER",
            ],
            ["E4 - N/A (Marac IT)", "", "", "", "", "", ""],
            [
                "E6",
                "Sustain multi-agency training",
                "Multi-agency training to be offered",
                "8 training days per year",
                "Stop Domestic Abuse / Johnny Bolderson",
                "Spaces per training day - 16 Total training spaces for above dates - 80",
                "AMBER",
            ],
        ],
    ),
    (
        ["DRAFT FOR APPROVAL", "NEW: Priority F - Safe accommodation"],
        HF,
        [
            [
                "G1",
                "To improve data recording and analysis processes at a local level across partner services",  # noqa: E501
                "Undertake further research into data recording of victims",
                "Data processes agreed by services\nNumber of managed moves due to domestic abuse\nData report",  # noqa: E501
                "Sayma Begum with Partner services (Police, Health, Housing, DA providers)\nPCC Housing\nStop Domestic Abuse (SDA)",  # noqa: E501
                "April 2022\nApril 2022\nJan 2022",
                "",
            ],
            [
                "G2",
                "Improve the understanding of the needs of victims",
                "Record reasons why a victim may no longer wish to access refuge",
                "Data report\nFeedback from SA Client survey",
                "SDA\nSayma Begum",
                "Jan 2022\nSept 2022",
                "",
            ],
            [
                "G3",
                "To incorporate a standardised quality of",
                "Obtain DAHA Accreditation",
                "Accredited services",
                "Social Housing service, PCC Housing",
                "TBC",
                "",
            ],
        ],
    ),
    (
        [],
        HF,
        [
            [
                "",
                "service across housing providers in their response to domestic abuse",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "G7",
                "Improve support to victims and children who require access to Safe Accommodation",
                "Commission additional Safe Accommodation provisioning and support",
                "Specialist safe accommodation support provided",
                "Bruce Marr/Sayma Begum",
                "April 2022",
                "",
            ],
        ],
    ),
]


def build_seed_docx(
    path: Path, tables: list[tuple[list[str], list[str], list[object]]] = TABLES
) -> Path:  # noqa: E501
    document = docx.Document()
    document.core_properties.title = "Portsmouth Domestic Abuse Strategy"
    document.add_paragraph("Portsmouth Domestic Abuse Strategy 2020-23")
    for number, (paragraphs, header, rows) in enumerate(tables):
        if number:
            document.add_page_break()
        for text in paragraphs:
            document.add_paragraph(text)
        add_table(document, header, rows)
    document.save(str(path))
    return path


def add_table(document: docx.document.Document, header: list[str], rows: list[object]) -> None:
    table = document.add_table(rows=0, cols=len(header))
    for cell, text in zip(table.add_row().cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, tuple) and row[1] == MERGED:
            merged = cells[0].merge(cells[-1])
            merged.text = str(row[0])
            continue
        assert isinstance(row, list)
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, tuple):  # text and a nested table of figures
                cell.text = value[0]
                nested = cell.add_table(rows=0, cols=3)
                for figures in value[1]:
                    for inner, figure in zip(nested.add_row().cells, figures, strict=True):
                        inner.text = figure
            else:
                _set_paragraphs(cell, str(value))


def _set_paragraphs(cell: object, text: str) -> None:
    """One Word paragraph per line, as measures and owners are typed in the real document."""
    lines = text.split("\n")
    cell.text = lines[0]  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]

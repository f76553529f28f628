"""The completion report pack as tables (one XLSX sheet each), in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from eventhub.attendance.exports import KIND_ATTENDED, Percent, Table
from eventhub.formatting import day_label
from eventhub.i18n import localized
from eventhub.surveys.report import SEXES, CompletionReport, CrossRow, CrossTable
from eventhub.surveys.results import Results


def _pct(value: float | None):
    return None if value is None else Percent(round(value, 4))


def cross_table(table: CrossTable, name: str) -> Table:
    headers = [table.heading, *[s.label for s in SEXES], _("Total"), _("Women's share")]

    def line(row: CrossRow) -> list:
        return [row.label, *[row.counts[s.value] for s in SEXES], row.total, _pct(row.women_share)]

    return Table(name, headers, [line(r) for r in table.rows] + [line(table.total)])


def survey_table(results: Results, name: str) -> Table:
    """One line per question: answers, mean (after, and change, for before/after pairs)."""
    headers = [_("Question"), _("Answers"), _("Mean"), _("Mean after"), _("Change")]
    rows = []
    for q in results.questions:
        rows.append([localized(q.question, "text"), q.count,
                     None if q.mean is None else round(q.mean, 2),
                     None if q.mean_after is None else round(q.mean_after, 2),
                     None if q.change is None else round(q.change, 2)])
    return Table(name, headers, rows)


def overview_table(report: CompletionReport) -> Table:
    rows = [
        [_("Event"), localized(report.event, "title")],
        [_("Attended"), report.attended.total.total],
        [_("Participants"), report.participants.total.total],
        [_("Speakers and moderators"), report.speakers.total.total],
        [_("Women's share"), _pct(report.attended.total.women_share)],
        [_("Economies represented"), report.economies_attended],
        [_("Member economies represented"), _("%(attended)s of %(total)s", attended=report.members_attended,
                                                total=report.members_total)],
        *[[str(KIND_ATTENDED[kind]), n] for kind, n in report.others_attended.items()],
        [_("External speakers (not registered, not counted)"), report.external_speakers],
        [_("APEC-funded travellers who attended"), report.travel_total.attended],
        [_("Funded from economies not travel-eligible"), sum(r.approved for r in report.flagged)],
    ]
    return Table(_("Overview"), [_("Figure"), _("Value")], rows)


def travel_table(report: CompletionReport) -> Table:
    yes, no = _("yes"), _("no")
    rows = [[r.label, yes if r.eligible else no, r.approved, r.attended,
             _("Not travel-eligible on the event's dates") if r.flagged else ""] for r in report.travel]
    rows.append([_("Total"), "", report.travel_total.approved, report.travel_total.attended, ""])
    return Table(_("Travel-funded"), [_("Economy"), _("Travel-eligible"), _("Funded, approved"),
                                      _("Funded, attended"), _("Check")], rows)


def report_tables(report: CompletionReport) -> list[Table]:
    tables = [
        overview_table(report),
        cross_table(report.participants, _("Participants")),
        cross_table(report.speakers, _("Speakers")),
        cross_table(report.attended, _("Attended")),
        cross_table(report.approved, _("Approved")),
        cross_table(report.by_category, _("Categories")),
        travel_table(report),
        Table(_("Per day"), [_("Day"), _("Attended"), _("Women"), _("Economies"), _("No-shows")],
              [[day_label(d.day, "date"), d.attended, d.women, d.economies, d.no_shows] for d in report.per_day]),
        Table(_("Per session"), [_("Session"), _("Booked"), _("Attended"), _("Capacity"), _("Fill rate")],
              [[s.title, s.booked, s.attended, s.capacity, _pct(s.fill_rate)] for s in report.per_session]),
    ]
    for n, results in enumerate(report.surveys, 1):
        tables.append(survey_table(results, _("Survey %(n)s", n=n)))
    return tables

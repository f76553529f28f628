"""Attendance reports: the summary (every figure is one SQL GROUP BY; the number of queries is fixed)
and one session's attendance list.

What the modules hold, each importing only the ones above it:

- `filters`: the day and session-kind filters (`Filters`), the event-local day's bounds, the kinds in use;
- `figures`: what a summary is made of (`Summary`, its `Row`, `DayRow`, `SessionRow`, `VehicleRow`);
- `counting`: the SQL conditions and aggregate columns every breakdown shares (came, booked, counts);
- `schedule`: the per-day, per-session and per-vehicle tables;
- `summary`: `build_summary()`, the totals and the breakdowns by economy, sex, category and funding;
- `session_list`: everyone booked for or checked in to one session.


Definitions (shown on the page too):
- whole event or one day (no session kind chosen):
  - registered: registrations that are submitted, approved or waitlisted (not cancelled or declined);
  - approved: registrations approved;
  - attended: people with at least one active (not undone) check-in matching the filters (the day)
    — including a cancelled registration the secretariat checked in by override;
  - no-shows: approved registrations without such a check-in.
- session-scoped (a session kind chosen, perhaps also a day): the figures count the matching
  sessions only, so registered/approved do not apply:
  - booked: people (registration not cancelled or declined) with a confirmed booking for at least
    one matching session;
  - attended: people checked in to at least one matching session (walk-ins without a booking too);
  - no-shows: booked people with no check-in to any matching session.
"""

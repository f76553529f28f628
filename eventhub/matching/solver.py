"""The 1:1 meeting schedule as a CP-SAT model (OR-Tools): pure data in, an assignment out.

x[m, s] = 1 when meeting m is in slot s. Each meeting is in at most one slot, and only in a slot
both people are free for; a person is in at most one meeting per slot; a slot holds at most as many
meetings as its session has tables. The objective places as many meetings as possible and, among
equal answers, favours meetings between different economies. One worker and a fixed seed make the
answer the same for the same input.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Problem:
    meetings: list[tuple[int, int, int]]  # (meeting id, person a, person b)
    slots: list[tuple[int, int]]  # (slot id, tables), in time order
    unavailable: set[tuple[int, int]] = field(default_factory=set)  # (person, slot id)
    cross_economy: set[int] = field(default_factory=set)  # meeting ids between different economies
    fixed: dict[int, int] = field(default_factory=dict)  # meeting id -> slot id it must keep


@dataclass(frozen=True)
class Answer:
    slot_of: dict[int, int]  # meeting id -> slot id, for the meetings placed
    optimal: bool


def solve(problem: Problem, *, time_limit: float = 5.0, seed: int = 7) -> Answer:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    slot_ids = [s for s, _ in problem.slots]
    for meeting_id, a, b in problem.meetings:
        choices = []
        for slot_id in slot_ids:
            if (a, slot_id) in problem.unavailable or (b, slot_id) in problem.unavailable:
                if problem.fixed.get(meeting_id) != slot_id:
                    continue
            if meeting_id in problem.fixed and problem.fixed[meeting_id] != slot_id:
                continue
            var = model.new_bool_var(f"m{meeting_id}_s{slot_id}")
            x[meeting_id, slot_id] = var
            choices.append(var)
            by_person_slot[a, slot_id].append(var)
            by_person_slot[b, slot_id].append(var)
            by_slot[slot_id].append(var)
        if meeting_id in problem.fixed and choices:
            model.add(sum(choices) == 1)
        elif choices:
            model.add_at_most_one(choices)
    for vars_ in by_person_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for slot_id, tables in problem.slots:
        if len(by_slot[slot_id]) > tables:
            model.add(sum(by_slot[slot_id]) <= tables)
    # Every placed meeting is worth more than all cross-economy bonuses together.
    weight = len(problem.meetings) + 1
    model.maximize(sum(var * (weight + (1 if m in problem.cross_economy else 0)) for (m, _), var in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Answer({}, optimal=False)
    placed = {m: s for (m, s), var in x.items() if solver.value(var)}
    return Answer(placed, optimal=status == cp_model.OPTIMAL)

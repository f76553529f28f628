"""The 1:1 meeting schedule: a greedy first answer, improved by a CP-SAT model (OR-Tools) when the
greedy one leaves meetings out. Pure data in, an assignment out.

Greedy: meetings in a fixed order (the busiest people's first), each into the least-used slot
(the earliest of those) where both people are free and a table is left. When that places every meeting it is optimal (the
objective below cannot do better: each placed meeting's worth includes its cross-economy bonus),
and the solver is not needed — the common case, in milliseconds.

CP-SAT: x[m, s] = 1 when meeting m is in slot s. Each meeting is in at most one slot, and only in a
slot both people are free for; a person is in at most one meeting per slot; a slot holds at most as
many meetings as its session has tables. The objective places as many meetings as possible and,
among equal answers, favours meetings between different economies. The greedy answer is the hint
(so the search starts from it and never returns less); one worker, a fixed seed and a limit in
deterministic time make the answer the same for the same input whatever the machine's load.
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


def _allowed(problem: Problem, meeting_id: int, a: int, b: int) -> list[int]:
    """The slots a meeting may take, in time order."""
    if meeting_id in problem.fixed:
        return [problem.fixed[meeting_id]]
    return [s for s, _ in problem.slots if (a, s) not in problem.unavailable and (b, s) not in problem.unavailable]


def greedy(problem: Problem) -> dict[int, int]:
    """Fixed meetings first, then the others, busiest people first, each in its least-used free slot."""
    tables = dict(problem.slots)
    used: dict[int, int] = defaultdict(int)
    busy: set[tuple[int, int]] = set()
    degree: dict[int, int] = defaultdict(int)
    for _m, a, b in problem.meetings:
        degree[a] += 1
        degree[b] += 1
    order = sorted(problem.meetings, key=lambda m: (m[0] not in problem.fixed, -(degree[m[1]] + degree[m[2]]),
                                                    -(m[0] in problem.cross_economy), m[0]))
    placed: dict[int, int] = {}
    for meeting_id, a, b in order:
        free = [slot_id for slot_id in _allowed(problem, meeting_id, a, b)
                if used[slot_id] < tables.get(slot_id, 0) and (a, slot_id) not in busy and (b, slot_id) not in busy]
        if free:
            # The least-used slot, the earliest of those: meetings spread over the session, so that
            # every slot keeps tables for requests accepted later.
            slot_id = min(free, key=lambda sl: used[sl])
            placed[meeting_id] = slot_id
            used[slot_id] += 1
            busy.update({(a, slot_id), (b, slot_id)})
    return placed


def solve(problem: Problem, *, time_limit: float = 5.0, seed: int = 7) -> Answer:
    first = greedy(problem)
    if len(first) == len(problem.meetings):
        return Answer(first, optimal=True)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for meeting_id, a, b in problem.meetings:
        choices = []
        for slot_id in _allowed(problem, meeting_id, a, b):
            var = model.new_bool_var(f"m{meeting_id}_s{slot_id}")
            x[meeting_id, slot_id] = var
            choices.append(var)
            by_person_slot[a, slot_id].append(var)
            by_person_slot[b, slot_id].append(var)
            by_slot[slot_id].append(var)
            model.add_hint(var, first.get(meeting_id) == slot_id)
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
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = 4 * time_limit  # a safety net only: the deterministic limit binds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Answer(first, optimal=False)
    placed = {m: s for (m, s), var in x.items() if solver.value(var)}
    if len(placed) < len(first):
        placed = first
    return Answer(placed, optimal=status == cp_model.OPTIMAL)

"""The CP-SAT scheduler: hand-checked cases, an exact answer on random small instances, determinism."""

from __future__ import annotations

import itertools
import random

from eventhub.matching.solver import Problem, solve


def valid(problem: Problem, slot_of: dict[int, int]) -> bool:
    tables = dict(problem.slots)
    people = {m: (a, b) for m, a, b in problem.meetings}
    seen, per_slot = set(), {}
    for m, s in slot_of.items():
        for p in people[m]:
            if (p, s) in seen or (p, s) in problem.unavailable:
                return False
            seen.add((p, s))
        per_slot[s] = per_slot.get(s, 0) + 1
    return all(n <= tables[s] for s, n in per_slot.items())


def best_by_brute_force(problem: Problem) -> int:
    """The most meetings any assignment places: every meeting tries every slot or none."""
    options = [None] + [s for s, _ in problem.slots]
    best = 0
    for choice in itertools.product(options, repeat=len(problem.meetings)):
        slot_of = {m[0]: s for m, s in zip(problem.meetings, choice, strict=True) if s is not None}
        if len(slot_of) > best and valid(problem, slot_of):
            best = len(slot_of)
    return best


def test_a_triangle_in_two_slots_places_two():
    problem = Problem(meetings=[(1, 10, 11), (2, 10, 12), (3, 11, 12)], slots=[(100, 5), (101, 5)])
    answer = solve(problem)
    assert len(answer.slot_of) == 2 and answer.optimal and valid(problem, answer.slot_of)


def test_one_table_holds_one_meeting_per_slot():
    problem = Problem(meetings=[(1, 1, 2), (2, 3, 4), (3, 5, 6)], slots=[(100, 1), (101, 1)])
    answer = solve(problem)
    assert len(answer.slot_of) == 2 and sorted(answer.slot_of.values()) == [100, 101]


def test_availability_is_respected():
    problem = Problem(meetings=[(1, 1, 2)], slots=[(100, 1), (101, 1)], unavailable={(1, 100)})
    assert solve(problem).slot_of == {1: 101}
    assert solve(Problem(meetings=[(1, 1, 2)], slots=[(100, 1)], unavailable={(2, 100)})).slot_of == {}


def test_published_meetings_stay_unless_allowed_to_move():
    problem = Problem(meetings=[(1, 1, 2), (2, 1, 3)], slots=[(100, 1), (101, 1)], fixed={1: 101})
    assert solve(problem).slot_of == {1: 101, 2: 100}


def test_cross_economy_meetings_preferred_among_equal_answers():
    # Person 1 can meet 2 (same economy) or 3 (another economy) in the only slot.
    problem = Problem(meetings=[(1, 1, 2), (2, 1, 3)], slots=[(100, 2)], cross_economy={2})
    assert solve(problem).slot_of == {2: 100}


def test_random_small_instances_match_the_exact_answer():
    rng = random.Random(15)
    for _ in range(25):
        people = rng.randint(3, 6)
        pairs = [p for p in itertools.combinations(range(people), 2) if rng.random() < 0.5][:6]
        slots = [(100 + i, rng.randint(1, 2)) for i in range(rng.randint(1, 3))]
        unavailable = {(p, s) for p in range(people) for s, _ in slots if rng.random() < 0.2}
        problem = Problem(meetings=[(i, a, b) for i, (a, b) in enumerate(pairs)], slots=slots,
                          unavailable=unavailable)
        answer = solve(problem)
        assert valid(problem, answer.slot_of)
        assert len(answer.slot_of) == best_by_brute_force(problem)


def test_same_input_same_answer():
    rng = random.Random(3)
    meetings = [(i, a, b) for i, (a, b) in enumerate(
        p for p in itertools.combinations(range(30), 2) if rng.random() < 0.15)]
    problem = Problem(meetings=meetings, slots=[(100 + i, 6) for i in range(8)])
    first, second = solve(problem), solve(problem)
    assert first.slot_of == second.slot_of and valid(problem, first.slot_of)


def test_greedy_first_answer_is_improved_by_the_solver_when_it_leaves_a_meeting_out():
    from eventhub.matching.solver import Problem, greedy, solve

    # Meeting 1 takes slot 10 first (earliest), which blocks meeting 2: person 3 can only meet in slot 10.
    problem = Problem(meetings=[(1, 1, 2), (2, 1, 3)], slots=[(10, 1), (20, 1)], unavailable={(3, 20)})
    assert greedy(problem) == {1: 10}
    answer = solve(problem)
    assert answer.slot_of == {1: 20, 2: 10} and answer.optimal
    assert solve(problem).slot_of == answer.slot_of


def test_a_planted_schedule_of_1500_meetings_is_found_whole_and_fast():
    import random
    import time

    from bench.matching import _planted
    from eventhub.matching.solver import Problem, solve

    rng = random.Random(15)
    planted = _planted(rng, list(range(1, 401)), 32, 1500)
    problem = Problem(meetings=[(i, a, b) for i, (_k, a, b) in enumerate(planted)], slots=[(k, 60) for k in range(32)])
    started = time.perf_counter()
    answer = solve(problem)
    assert time.perf_counter() - started < 2 and len(answer.slot_of) == 1500
    assert answer.slot_of == solve(problem).slot_of

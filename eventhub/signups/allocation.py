"""Roundtable allocation: place everyone who ranked, respect capacities and per-economy caps, and give
as many people as possible a high choice. Pure Python, no database: the service feeds it rows.

The problem is a min-cost flow:

    source ─1─► person ─(rank cost)─► slot(table, economy) ─(economy cap)─► table ─(capacity)─► sink
                   └──(fallback cost)──► fallback(economy) ─► slot(table, economy)   (any other table)

A maximum flow places everyone who can be placed at all; among those, the minimum cost gives the
most people a high choice (cost = rank − 1; a table the person did not rank costs more than any
ranked one). Capacities and caps are edge capacities, so they hold by construction.

The solver is the primal-dual method: Dijkstra with potentials, then a blocking flow (Dinic) over
the edges of zero reduced cost. Costs are small integers, so there are only a few phases; 2,000
people into 20 tables takes well under a second.

Deterministic: the same input gives the same result. Ties are broken by a fixed pseudo-random order
of the people (a hash of the seed and the registration id), not by who registered first.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

INF = float("inf")


@dataclass(frozen=True)
class Table:
    id: int
    capacity: int  # seats still free for the allocation
    economy_cap: int | None = None  # at most this many per economy at this table (None: no cap)
    economy_taken: dict[int, int] = field(default_factory=dict)  # seats already held per economy


@dataclass(frozen=True)
class Person:
    id: int  # registration id
    economy_id: int
    choices: tuple[int, ...]  # table ids, first choice first


@dataclass
class Result:
    placements: dict[int, tuple[int, int]]  # person id -> (table id, rank; 0 = a table they did not rank)
    unplaced: list[int]

    def figures(self, people: list[Person], tables: list[Table]) -> dict:
        ranked = len(people)
        by_rank: dict[int, int] = defaultdict(int)
        for _table, rank in self.placements.values():
            by_rank[rank] += 1
        max_rank = max((len(p.choices) for p in people), default=0)
        economy_of = {p.id: p.economy_id for p in people}
        mix: dict[int, dict[int, int]] = {t.id: defaultdict(int) for t in tables}
        for person_id, (table_id, _rank) in self.placements.items():
            mix[table_id][economy_of[person_id]] += 1

        def share(n: int) -> float:
            return round(100.0 * n / ranked, 1) if ranked else 0.0

        return {
            "people": ranked,
            "placed": len(self.placements),
            "unplaced": len(self.unplaced),
            "by_rank": [
                {"rank": r, "count": by_rank.get(r, 0), "share": share(by_rank.get(r, 0))}
                for r in range(1, max_rank + 1)
            ],
            "unranked": {"count": by_rank.get(0, 0), "share": share(by_rank.get(0, 0))},
            "tables": {
                str(t.id): {
                    "capacity": t.capacity,
                    "placed": sum(mix[t.id].values()),
                    "economies": {str(e): n for e, n in sorted(mix[t.id].items())},
                }
                for t in tables
            },
        }


def _order_key(seed: str, person_id: int) -> bytes:
    return hashlib.sha256(f"{seed}:{person_id}".encode()).digest()


class _Graph:
    __slots__ = ("adj", "to", "cap", "cost")

    def __init__(self, n: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add(self, u: int, v: int, cap: int, cost: int) -> int:
        e = len(self.to)
        self.to += (v, u)
        self.cap += (cap, 0)
        self.cost += (cost, -cost)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e


def _min_cost_max_flow(g: _Graph, s: int, t: int) -> None:
    n = len(g.adj)
    adj, to, cap, cost = g.adj, g.to, g.cap, g.cost
    pot = [0] * n
    while True:
        # Dijkstra on reduced costs, stopped once the sink is settled.
        dist = [INF] * n
        dist[s] = 0
        heap = [(0, s)]
        done = [False] * n
        while heap:
            d, u = heapq.heappop(heap)
            if done[u]:
                continue
            done[u] = True
            if u == t:
                break
            pu = pot[u] + d
            for e in adj[u]:
                if cap[e] > 0:
                    v = to[e]
                    nd = pu + cost[e] - pot[v]
                    if nd < dist[v]:
                        dist[v] = nd
                        heapq.heappush(heap, (nd, v))
        if dist[t] == INF:
            return
        dt = dist[t]
        for v in range(n):
            dv = dist[v]
            pot[v] += dv if dv < dt else dt
        # Blocking flows over the admissible (zero reduced cost) edges, Dinic style.
        while True:
            level = [-1] * n
            level[s] = 0
            queue = [s]
            for u in queue:
                pu = pot[u]
                lu = level[u] + 1
                for e in adj[u]:
                    if cap[e] > 0:
                        v = to[e]
                        if level[v] < 0 and cost[e] + pu - pot[v] == 0:
                            level[v] = lu
                            queue.append(v)
            if level[t] < 0:
                break
            it = [0] * n
            while _augment(s, t, adj, to, cap, cost, pot, level, it):
                pass


def _augment(s, t, adj, to, cap, cost, pot, level, it) -> bool:
    """Push one unit along an admissible level path (every s→t path here carries one person)."""
    stack = [s]
    path: list[int] = []
    while stack:
        u = stack[-1]
        if u == t:
            for e in path:
                cap[e] -= 1
                cap[e ^ 1] += 1
            return True
        edges = adj[u]
        advanced = False
        while it[u] < len(edges):
            e = edges[it[u]]
            v = to[e]
            if cap[e] > 0 and level[v] == level[u] + 1 and cost[e] + pot[u] - pot[v] == 0:
                stack.append(v)
                path.append(e)
                advanced = True
                break
            it[u] += 1
        if not advanced:
            level[u] = -1  # dead end for this phase
            stack.pop()
            if path:
                path.pop()
                it[stack[-1]] += 1
    return False


def allocate(people: list[Person], tables: list[Table], seed: str = "") -> Result:
    """Place people at tables. See the module docstring for what is optimised."""
    tables = sorted(tables, key=lambda tb: tb.id)
    table_ids = {tb.id for tb in tables}
    people = sorted(people, key=lambda p: _order_key(seed, p.id))
    max_rank = max((len(p.choices) for p in people), default=0)
    fallback_cost = max_rank + 1

    economies = sorted({p.economy_id for p in people})
    # Node numbering: 0 source, 1 sink, people, fallback per economy, slot per (table, economy), tables.
    n_people = len(people)
    first_fallback = 2 + n_people
    first_slot = first_fallback + len(economies)
    first_table = first_slot + len(tables) * len(economies)
    g = _Graph(first_table + len(tables))
    econ_index = {e: i for i, e in enumerate(economies)}
    table_index = {tb.id: i for i, tb in enumerate(tables)}

    def slot(ti: int, ei: int) -> int:
        return first_slot + ti * len(economies) + ei

    for ti, tb in enumerate(tables):
        g.add(first_table + ti, 1, max(tb.capacity, 0), 0)
        for ei, e in enumerate(economies):
            room = n_people if tb.economy_cap is None else max(tb.economy_cap - tb.economy_taken.get(e, 0), 0)
            if room > 0:
                g.add(slot(ti, ei), first_table + ti, room, 0)
            g.add(first_fallback + ei, slot(ti, ei), n_people, 0)

    person_edges: list[list[tuple[int, int, int]]] = []  # (edge, table id, rank)
    for pi, p in enumerate(people):
        node = 2 + pi
        g.add(0, node, 1, 0)
        ei = econ_index[p.economy_id]
        edges = []
        seen = set()
        for rank, table_id in enumerate(p.choices, start=1):
            if table_id not in table_ids or table_id in seen:
                continue
            seen.add(table_id)
            edges.append((g.add(node, slot(table_index[table_id], ei), 1, rank - 1), table_id, rank))
        edges.append((g.add(node, first_fallback + ei, 1, fallback_cost), 0, 0))
        person_edges.append(edges)

    _min_cost_max_flow(g, 0, 1)

    # Read the result. A person who went through the fallback sits at whichever table their
    # economy's fallback node sent a unit to; hand those out deterministically.
    fallback_pool: dict[int, list[int]] = defaultdict(list)  # economy index -> table ids with fallback flow
    for ei in range(len(economies)):
        node = first_fallback + ei
        for e in g.adj[node]:
            if e % 2 == 0 and g.cap[e ^ 1] > 0:  # forward edge with flow
                ti = g.to[e] - first_slot
                table_id = tables[ti // len(economies)].id
                fallback_pool[ei].extend([table_id] * g.cap[e ^ 1])

    placements: dict[int, tuple[int, int]] = {}
    unplaced: list[int] = []
    for pi, p in enumerate(people):
        placed = None
        for edge, table_id, rank in person_edges[pi]:
            if g.cap[edge ^ 1] > 0:
                if rank == 0:
                    table_id = fallback_pool[econ_index[p.economy_id]].pop()
                placed = (table_id, rank)
                break
        if placed is None:
            unplaced.append(p.id)
        else:
            placements[p.id] = placed
    unplaced.sort()
    return Result(placements=placements, unplaced=unplaced)

"""Minimum-cost maximum flow with integer capacities and costs, by the primal-dual method.

Each phase computes shortest distances from the source under reduced costs (Dijkstra,
`scipy.sparse.csgraph`), raises the node potentials by them, and pushes a maximum flow
(Dinic, `scipy.sparse.csgraph.maximum_flow`) through the arcs whose reduced cost is then
zero: every unit travels along a shortest augmenting path, so the flow stays of least cost
for its value, and the last phase leaves a maximum flow of least cost. The number of
phases is at most the number of distinct shortest-path lengths (a handful for the small
integer costs of an assignment's fit), and each phase is a few array operations on the
arcs plus two graph routines in compiled code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import dijkstra, maximum_flow

IntArray = npt.NDArray[np.int64]


def min_cost_max_flow(
    nodes: int,
    tail: IntArray,
    head: IntArray,
    capacity: IntArray,
    cost: IntArray,
    source: int,
    sink: int,
) -> IntArray:
    """The flow on each arc of a maximum flow of least total cost from `source` to `sink`.

    Arcs are given as parallel arrays; costs must be non-negative integers, capacities
    non-negative integers, and no two arcs may join the same two nodes (in either
    direction).
    """
    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    cost = np.asarray(cost, dtype=np.int64)
    if (cost < 0).any() or (capacity < 0).any():
        raise ValueError("Costs and capacities must be non-negative.")
    arcs = tail.size
    flow = np.zeros(arcs, dtype=np.int64)
    if arcs == 0:
        return flow
    potential = np.zeros(nodes, dtype=np.int64)
    keys = tail * nodes + head
    by_key = np.argsort(keys)
    sorted_keys = keys[by_key]
    reverse = head * nodes + tail
    found = sorted_keys[np.minimum(np.searchsorted(sorted_keys, reverse), arcs - 1)]
    if (np.diff(sorted_keys) == 0).any() or (found == reverse).any():
        raise ValueError("Two arcs join the same two nodes.")
    while True:
        reduced = cost + potential[tail] - potential[head]
        forward, backward = flow < capacity, flow > 0
        u = np.concatenate([tail[forward], head[backward]])
        v = np.concatenate([head[forward], tail[backward]])
        w = np.concatenate([reduced[forward], -reduced[backward]])
        # Weight w * nodes + 1: a shortest path has fewer hops than nodes, so the integer
        # part of distance / nodes is the least reduced cost, and no weight is zero.
        graph = sparse.csr_matrix((w * nodes + 1.0, (u, v)), shape=(nodes, nodes))
        dist = dijkstra(graph, directed=True, indices=source)
        if not np.isfinite(dist[sink]):
            return flow
        steps = np.where(np.isfinite(dist), np.floor(dist / nodes), np.inf)
        potential += np.minimum(steps, steps[sink]).astype(np.int64)
        reduced = cost + potential[tail] - potential[head]
        fwd, bwd = forward & (reduced == 0), backward & (reduced == 0)
        residual = np.concatenate([(capacity - flow)[fwd], flow[bwd]]).astype(np.int32)
        admissible = sparse.csr_matrix(
            (
                residual,
                (np.concatenate([tail[fwd], head[bwd]]), np.concatenate([head[fwd], tail[bwd]])),
            ),
            shape=(nodes, nodes),
        )
        admissible.sort_indices()
        pushed = maximum_flow(admissible, source, sink, method="dinic")
        if pushed.flow_value == 0:
            return flow
        net = pushed.flow.tocoo()
        positive = net.data > 0
        fu = net.row[positive].astype(np.int64)
        fv = net.col[positive].astype(np.int64)
        amount = net.data[positive].astype(np.int64)
        along = fu * nodes + fv
        at = np.minimum(np.searchsorted(sorted_keys, along), arcs - 1)
        is_arc = sorted_keys[at] == along
        np.add.at(flow, by_key[at[is_arc]], amount[is_arc])
        against = fv[~is_arc] * nodes + fu[~is_arc]
        back = np.minimum(np.searchsorted(sorted_keys, against), arcs - 1)
        np.add.at(flow, by_key[back], -amount[~is_arc])

"""Diagram layout: every participant, node and flow gets a shape or an edge, left to right.

The main process pool comes first with the sender to its left and the receivers to its right;
Local Integration Process pools stack below it. Inside a pool, a node's column is its longest
distance from the start, and a router's routes take rows of their own below the route they leave
from, so branches read top-down and joins line up with the path they return to. Exception
subprocesses sit under the rows of their process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.iflow import IFlow, Node, SequenceFlow

COLUMN = 150.0      # horizontal pitch of steps
ROW = 100.0         # vertical pitch of rows
SLOT = (100.0, 60.0)
PAD = 40.0          # inner padding of pools and subprocesses
POOL_X = 250.0
POOL_Y = 60.0
POOL_GAP = 40.0
ENDPOINT = (100.0, 140.0)
LANE = 15.0          # distance of a message-flow lane above the row it leaves
MIN_SUBPROCESS = (400.0, 140.0)


@dataclass
class Box:
    """A shape's bounds."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Diagram:
    """Shapes by element id and edges (waypoints) by flow id, in drawing order."""

    shapes: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    edge_ends: dict[str, tuple[str, str]] = field(default_factory=dict)


def layout(iflow: IFlow) -> Diagram:
    """Lay out the whole collaboration."""
    diagram = Diagram()
    blocks = [(p, _block(p.nodes, p.flows)) for p in iflow.processes]
    width = max(b.width for _, b in blocks)
    y = POOL_Y
    pools: dict[str, Box] = {}
    for process, block in blocks:
        pool = Box(POOL_X, y, width, block.height)
        pools[process.id] = pool
        block.place(diagram, pool.x, pool.y)
        y = pool.bottom + POOL_GAP
    for participant in iflow.participants:
        if participant.type == "IntegrationProcess":
            diagram.shapes[participant.id] = pools[participant.process_ref]
    _endpoints(iflow, diagram, POOL_X + width, pools[iflow.processes[0].id])
    for process in iflow.processes:
        _sequence_edges(diagram, process.flows)
        for node in process.nodes:
            _sequence_edges(diagram, node.flows)
    for flow in iflow.message_flows:
        source, target = diagram.shapes[flow.source], diagram.shapes[flow.target]
        diagram.edges[flow.id] = _message_edge(source, target, flow.source in _endpoint_ids(iflow))
        diagram.edge_ends[flow.id] = (flow.source, flow.target)
    return diagram


def _endpoint_ids(iflow: IFlow) -> set[str]:
    return {p.id for p in iflow.participants if p.type != "IntegrationProcess"}


def _endpoints(iflow: IFlow, diagram: Diagram, pools_right: float, main_pool: Box) -> None:
    """Senders left of the main pool at their start event's height; receivers the main process
    calls above its pool, over the calling node; receivers only local processes call right of
    the pools, level with the lane just above the calling node. Receivers never overlap."""
    above: list[tuple[float, str]] = []
    right: list[tuple[float, str]] = []
    for participant in iflow.participants:
        if participant.type == "IntegrationProcess":
            continue
        linked = [f.target if f.source == participant.id else f.source
                  for f in iflow.message_flows if participant.id in (f.source, f.target)]
        anchor = diagram.shapes[linked[0]] if linked else main_pool
        if participant.type == "EndpointSender":
            diagram.shapes[participant.id] = Box(40.0, anchor.cy - ENDPOINT[1] / 2, *ENDPOINT)
        elif anchor.y < main_pool.bottom:
            above.append((anchor.cx - ENDPOINT[0] / 2, participant.id))
        else:
            right.append((anchor.y - LANE - ENDPOINT[1] / 2, participant.id))
    next_free = POOL_X
    for x, participant_id in sorted(above):
        x = max(x, next_free)
        diagram.shapes[participant_id] = Box(x, main_pool.y - POOL_GAP - ENDPOINT[1], *ENDPOINT)
        next_free = x + ENDPOINT[0] + 30.0
    next_free = main_pool.bottom + POOL_GAP
    for y, participant_id in sorted(right):
        y = max(y, next_free)
        diagram.shapes[participant_id] = Box(pools_right + 80.0, y, *ENDPOINT)
        next_free = y + ENDPOINT[1] + 20.0


def _message_edge(source: Box, target: Box, from_participant: bool) -> list[tuple[float, float]]:
    """Sender -> start event: horizontal. Node -> receiver above: up out of the node (then across
    when the receiver is not straight above). Node -> receiver on the right: up into the lane above
    the node's row, then right."""
    if from_participant:
        return [(source.right, target.cy), (target.x, target.cy)]
    start = (source.cx, source.y)
    if target.bottom <= source.y and target.x >= source.right:
        lane = source.y - LANE
        return [start, (source.cx, lane), (target.x, lane), (target.x, target.cy)] \
            if abs(target.cy - lane) > 0.01 else [start, (source.cx, lane), (target.x, lane)]
    if target.x <= source.cx <= target.right:
        return [start, (source.cx, target.bottom)]
    if target.x >= source.right:
        lane = source.y - LANE
        return [start, (source.cx, lane), (target.x, lane)] if abs(target.cy - lane) < 0.01 else \
            [start, (source.cx, lane), (target.x - 20.0, lane), (target.x - 20.0, target.cy), (target.x, target.cy)]
    side = target.x if source.cx < target.x else target.right
    return [start, (source.cx, target.cy), (side, target.cy)]


def _sequence_edges(diagram: Diagram, flows: list[SequenceFlow]) -> None:
    for flow in flows:
        s, t = diagram.shapes[flow.source], diagram.shapes[flow.target]
        if abs(s.cy - t.cy) < 0.01:
            points = [(s.right, s.cy), (t.x, t.cy)]
        elif t.cy > s.cy and t.x > s.cx:        # leaving a router downwards
            points = [(s.cx, s.bottom), (s.cx, t.cy), (t.x, t.cy)]
        elif t.cy < s.cy and t.cx > s.right:    # returning up into a join
            points = [(s.right, s.cy), (t.cx, s.cy), (t.cx, t.bottom)]
        else:
            mid = (s.right + t.x) / 2
            points = [(s.right, s.cy), (mid, s.cy), (mid, t.cy), (t.x, t.cy)]
        diagram.edges[flow.id] = points
        diagram.edge_ends[flow.id] = (flow.source, flow.target)


@dataclass
class _Block:
    """The layout of one container's nodes, relative to its top-left corner."""

    cells: dict[str, tuple[int, int]]
    nodes: dict[str, Node]
    subprocesses: list[tuple[Node, "_Block"]]
    rows: int
    columns: int

    @property
    def grid_height(self) -> float:
        return PAD + self.rows * ROW - (ROW - SLOT[1]) + PAD if self.cells else 0.0

    @property
    def width(self) -> float:
        grid = PAD + self.columns * COLUMN - (COLUMN - SLOT[0]) + PAD if self.cells else 0.0
        subs = max((PAD + b.sub_width for _, b in self.subprocesses), default=0.0) + PAD
        return max(grid, subs, MIN_SUBPROCESS[0])

    @property
    def sub_width(self) -> float:
        return max(self.width, MIN_SUBPROCESS[0])

    @property
    def height(self) -> float:
        height = self.grid_height
        for _, block in self.subprocesses:
            height += max(block.height, MIN_SUBPROCESS[1]) + PAD / 2
        return max(height + (PAD / 2 if self.subprocesses else 0.0), MIN_SUBPROCESS[1])

    def place(self, diagram: Diagram, x0: float, y0: float) -> None:
        for node_id, (col, row) in self.cells.items():
            w, h = self.nodes[node_id].size
            x = x0 + PAD + col * COLUMN + (SLOT[0] - w) / 2
            y = y0 + PAD + row * ROW + (SLOT[1] - h) / 2
            diagram.shapes[node_id] = Box(x, y, w, h)
        y = y0 + self.grid_height + (PAD / 2 if self.cells else PAD)
        for node, block in self.subprocesses:
            box = Box(x0 + PAD, y, block.sub_width, max(block.height, MIN_SUBPROCESS[1]))
            diagram.shapes[node.id] = box
            block.place(diagram, box.x, box.y)
            y = box.bottom + PAD / 2


def _block(nodes: list[Node], flows: list[SequenceFlow]) -> _Block:
    """Columns by longest path from the start, rows by branch."""
    by_id = {n.id: n for n in nodes if n.tag != "subProcess"}
    successors: dict[str, list[str]] = {n: [] for n in by_id}
    predecessors: dict[str, list[str]] = {n: [] for n in by_id}
    for flow in flows:
        successors[flow.source].append(flow.target)
        predecessors[flow.target].append(flow.source)
    column: dict[str, int] = {}

    def col(node_id: str) -> int:
        if node_id not in column:
            column[node_id] = max((col(p) + 1 for p in predecessors[node_id]), default=0)
        return column[node_id]

    for node_id in by_id:
        col(node_id)
    reach: dict[str, int] = {}

    def depth(node_id: str) -> int:
        """How many steps the longest path from here still runs."""
        if node_id not in reach:
            reach[node_id] = max((depth(s) + 1 for s in successors[node_id]), default=0)
        return reach[node_id]

    defaults = {f.target for n in by_id.values() for f in flows if f.id == n.default_flow}
    for node_id, succ in successors.items():
        # The route that runs furthest (a join after a detour, or the path that goes on) keeps
        # the router's row; the others take rows below it.
        succ.sort(key=lambda t: (-column[t], -depth(t), t not in defaults))
    rows: dict[str, int] = {}
    next_row = [0]

    def visit(node_id: str, row: int) -> None:
        rows[node_id] = row
        for i, succ in enumerate(successors[node_id]):
            if succ in rows:
                continue
            if i == 0:
                visit(succ, row)
            else:
                next_row[0] += 1
                visit(succ, next_row[0])

    for node_id in by_id:
        if not predecessors[node_id] and node_id not in rows:
            if rows:
                next_row[0] += 1
            visit(node_id, next_row[0] if rows else 0)
    cells = {n: (column[n], rows.get(n, 0)) for n in by_id}
    subprocesses = [(n, _block(n.nodes, n.flows)) for n in nodes if n.tag == "subProcess"]
    return _Block(cells, by_id, subprocesses,
                  rows=max((r for _, r in cells.values()), default=-1) + 1,
                  columns=max((c for c, _ in cells.values()), default=-1) + 1)


__all__ = ["Box", "Diagram", "layout"]

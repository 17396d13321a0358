// Showing plans and graphs: the same text and JSON the CLI prints, for programs too.
export { formatPlan, planJson, plainStyle, ansiStyle, type Style } from '../planner/plan-format.js';
export { buildGraph, graphLabel, type ProjectGraph, type GraphNode, type NodeId } from '../planner/graph.js';

// A plan as text a Terraform user recognises: one line per action with its reason, attribute detail for
// creates and changes, secrets masked, and a summary line.
import { isSensitiveKey } from '../model/config-hash.js';
import { formatPort } from './load/ports.js';
import type { Project } from '../model/model.js';
import type { Action, Op, Plan, PlanSummary } from '../model/plan-types.js';

/** How `formatPlan` colours its output. */
export interface Style {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const identity = (s: string): string => s;
/** No colours, for `formatPlan` into files and pipes. */
export const plainStyle: Style = { green: identity, yellow: identity, red: identity, cyan: identity, dim: identity, bold: identity };

const code = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
/** Colours for `formatPlan` on a terminal. */
export const ansiStyle: Style = {
  green: code(32, 39),
  yellow: code(33, 39),
  red: code(31, 39),
  cyan: code(36, 39),
  dim: code(2, 22),
  bold: code(1, 22),
};

const SYMBOL: Record<Op, string> = { create: '+', recreate: '-/+', update: '~', start: '>', stop: '|', remove: '-' };

function colorFor(op: Op, style: Style): (s: string) => string {
  if (op === 'create' || op === 'start') return style.green;
  if (op === 'remove' || op === 'stop') return style.red;
  return style.yellow;
}

function show(value: unknown, sensitive: boolean): string {
  if (value === undefined) return '(none)';
  if (sensitive) return '(sensitive)';
  return JSON.stringify(value);
}

function networkDetail(action: Action, model: Project | null): string[] {
  const n = model?.networks[action.name];
  if (!n || action.kind !== 'network' || action.op !== 'create') return [];
  const parts = [`driver = ${JSON.stringify(n.driver)}`, `quic = ${n.quic}`, `encryption = ${n.encryption}`];
  if (n.subnet) parts.push(`subnet = ${JSON.stringify(n.subnet)}`);
  if (n.internal) parts.push('internal = true');
  return [parts.join(', ')];
}

function serviceDetail(action: Action, model: Project | null): string[] {
  const s = model?.services[action.name];
  if (!s || action.kind !== 'service' || action.op !== 'create') return [];
  const lines: string[] = [];
  lines.push(`image       = ${s.image ? JSON.stringify(s.image) : s.command ? `(host process) ${JSON.stringify(s.command.join(' '))}` : '(built)'}`);
  const env = Object.keys(s.environment).sort();
  if (env.length) {
    lines.push(`environment = { ${env.map((k) => `${k} = ${show(s.environment[k], isSensitiveKey(k))}`).join(', ')} }`);
  }
  if (s.ports.length) lines.push(`ports       = [${s.ports.map((p) => JSON.stringify(formatPort(p))).join(', ')}]`);
  return lines;
}

export function formatSummary(summary: PlanSummary): string {
  const parts: string[] = [];
  const words: [keyof PlanSummary, string][] = [
    ['create', 'to create'],
    ['recreate', 'to recreate'],
    ['update', 'to update'],
    ['start', 'to start'],
    ['stop', 'to stop'],
    ['remove', 'to remove'],
  ];
  for (const [k, w] of words) if (summary[k]) parts.push(`${summary[k]} ${w}`);
  if (!parts.length) return `No changes. ${summary.unchanged} unchanged.`;
  return `Plan: ${parts.join(', ')}, ${summary.unchanged} unchanged.`;
}

/**
 * A plan as text, Terraform style: one line per action with its reason, the attributes that change, and a summary.
 */
export function formatPlan(plan: Plan, model: Project | null, style: Style = plainStyle): string {
  const out: string[] = [];
  if (!plan.actions.length) {
    const kept = plan.notices.some((n) => n.endsWith('(--no-recreate)'));
    out.push(`Project ${plan.project}: no changes.${kept ? '' : ' The live stack matches the Boltfile.'}`);
  } else {
    out.push(`Project ${plan.project}: surge will perform these actions:`, '');
    const width = Math.min(48, Math.max(...plan.actions.map((a) => a.id.length)));
    for (const a of plan.actions) {
      const color = colorFor(a.op, style);
      const sym = SYMBOL[a.op].padStart(3);
      out.push(`  ${color(sym)} ${style.bold(a.id.padEnd(width))}  ${color(a.op.padEnd(8))}  ${style.dim(`(${a.reason})`)}`);
      for (const line of [...networkDetail(a, model), ...serviceDetail(a, model)]) out.push(`        ${line}`);
      for (const c of a.changes ?? []) {
        const before = show(c.before, c.sensitive);
        const after = show(c.after, c.sensitive);
        out.push(`        ${style.yellow('~')} ${c.path}: ${before} → ${after}`);
      }
    }
  }
  if (plan.notices.length) {
    out.push('', 'Notices:');
    for (const n of plan.notices) out.push(`  ${style.yellow('!')} ${n}`);
  }
  out.push('', formatSummary(plan.summary));
  return out.join('\n');
}

/** What `plan --json` prints. */
export function planJson(plan: Plan): unknown {
  return { project: plan.project, actions: plan.actions, summary: plan.summary, notices: plan.notices };
}

// A plan as text a Terraform user recognises: one line per action with its reason, attribute detail for
// creates and changes, secrets masked, and a summary line.
import { isSensitiveKey } from '../model/config-hash.js';
import { formatPort } from './load/ports.js';
import type { PortMapping, Project } from '../model/model.js';
import { imageRef } from '../model/naming.js';
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
  if (!model || !s || action.kind !== 'service' || action.op !== 'create') return [];
  const lines: string[] = [];
  if (s.driver === 'process') lines.push(`command     = (host process) [${(s.command ?? []).map((w) => JSON.stringify(w)).join(', ')}]`);
  else lines.push(`image       = ${JSON.stringify(imageRef(model, s))}${s.build ? ' (built)' : ''}`);
  const env = Object.keys(s.environment).sort();
  if (env.length) {
    lines.push(`environment = { ${env.map((k) => `${k} = ${show(s.environment[k], isSensitiveKey(k))}`).join(', ')} }`);
  }
  // A host process listens on the host's own ports: `ports` does not apply to it (validate says so).
  if (s.ports.length && s.driver !== 'process') lines.push(`ports       = [${s.ports.map((p) => JSON.stringify(formatPort(p))).join(', ')}]`);
  return lines;
}

/** A canonical port (defaults left out) as the Boltfile writes it: "8080:80/tcp" style, as `ps` shows ports. */
function portText(p: unknown): string {
  const o = (p ?? {}) as Partial<PortMapping>;
  return formatPort({ target: String(o.target ?? ''), published: o.published ?? null, host_ip: o.host_ip ?? null, protocol: o.protocol ?? 'tcp' });
}

/** A change's value for the plan text: ports as ports, not as the canonical JSON the hash is made of. */
function showChange(path: string, value: unknown, sensitive: boolean): string {
  if (path === 'ports' && Array.isArray(value) && !sensitive) return `[${value.map((p) => JSON.stringify(portText(p))).join(', ')}]`;
  return show(value, sensitive);
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
        const before = showChange(c.path, c.before, c.sensitive);
        const after = showChange(c.path, c.after, c.sensitive);
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

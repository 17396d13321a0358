// Rendering: "median (min–max)" cells, pass/fail checks and Markdown tables (printed and written alike).
import { fmtMs, stats } from './timing.js';

/** @param {number[]} xs @param {(x: number) => string} [fmt] */
export function cell(xs, fmt = fmtMs) {
  if (!xs.length) return '–';
  const s = stats(xs);
  return xs.length === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** @param {number} a @param {number} b */
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
export const fmtRatio = (/** @type {number} */ r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');

/**
 * @typedef {{ text: string, pass: boolean }} Check
 * @param {Check[]} checks @returns {[string, string]} target and result cells
 */
export function verdict(checks) {
  if (!checks.length) return ['—', ''];
  const ok = checks.every((c) => c.pass);
  return [checks.map((c) => c.text).join(', '), ok ? 'pass' : `**FAIL** (${checks.filter((c) => !c.pass).map((c) => c.text).join(', ')})`];
}

/** @param {string[]} head @param {string[][]} rows */
export function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

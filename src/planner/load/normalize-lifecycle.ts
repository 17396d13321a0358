// How a service's container lives: its healthcheck (compose's start_interval and disable included) and its hooks
// (post_start / pre_stop run in the container, pre_start in a container of its own before the service starts).
import type { DriverKind, Healthcheck, ServiceHook } from '../../model/model.js';
import type { RawHealthcheck, RawService } from './boltfile-schema.js';
import { command, duration, keyValues, type NormalizeContext } from './normalize-forms.js';
import type { Path } from './schema-walk.js';

export function healthcheck(raw: RawHealthcheck, path: Path, ctx: NormalizeContext): Healthcheck | null {
  let test: string[];
  if (raw.disable) test = ['NONE'];
  else if (raw.test === undefined) {
    ctx.error(path, 'a healthcheck needs a `test` (or `disable = true`)');
    return null;
  } else if (typeof raw.test === 'string') test = ['CMD-SHELL', raw.test];
  else {
    const head = raw.test[0];
    if (head !== 'CMD' && head !== 'CMD-SHELL' && head !== 'NONE') {
      ctx.error([...path, 'test'], 'healthcheck test must start with "CMD", "CMD-SHELL" or "NONE" (or be a string run by the shell)');
      return null;
    }
    test = raw.test;
  }
  const h: Healthcheck = {
    test,
    interval_ms: duration(raw.interval, [...path, 'interval'], ctx),
    timeout_ms: duration(raw.timeout, [...path, 'timeout'], ctx),
    start_period_ms: duration(raw.start_period, [...path, 'start_period'], ctx),
    retries: raw.retries ?? null,
  };
  const startInterval = duration(raw.start_interval, [...path, 'start_interval'], ctx);
  if (startInterval !== null) h.start_interval_ms = startInterval;
  return h;
}

type RawHook = NonNullable<RawService['post_start']>[number] | NonNullable<RawService['pre_start']>[number];

function hook(raw: RawHook, driver: DriverKind, path: Path, ctx: NormalizeContext): ServiceHook | null {
  // A hook runs in a container: its string command is split like the service's own, never given to a host shell.
  const argv = raw.command === undefined ? [] : command(raw.command, driver === 'process' ? 'docker' : driver, [...path, 'command'], ctx);
  if (argv === null) return null;
  const h: ServiceHook = {
    command: argv,
    user: raw.user ?? null,
    privileged: raw.privileged ?? false,
    working_dir: raw.working_dir ?? null,
    environment: keyValues(raw.environment, [...path, 'environment'], ctx, 'environment', true),
  };
  if ('image' in raw) h.image = raw.image ?? null;
  return h;
}

export function hooks(raw: RawService, driver: DriverKind, path: Path, ctx: NormalizeContext): { pre_start: ServiceHook[]; post_start: ServiceHook[]; pre_stop: ServiceHook[] } {
  const list = (key: 'pre_start' | 'post_start' | 'pre_stop'): ServiceHook[] =>
    (raw[key] ?? []).flatMap((h, i) => {
      const r = hook(h, driver, [...path, key, i], ctx);
      return r ? [r] : [];
    });
  const out = { pre_start: list('pre_start'), post_start: list('post_start'), pre_stop: list('pre_stop') };
  raw.pre_start?.forEach((h, i) => {
    if (h.command === undefined && h.image === undefined) ctx.error([...path, 'pre_start', i], 'a pre_start hook needs a `command` or an `image`');
  });
  if (raw.pre_start?.length && driver === 'docker') ctx.warn([...path, 'pre_start'], 'pre_start hooks are not run by surge yet');
  return out;
}

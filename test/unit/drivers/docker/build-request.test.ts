// The build request surge sends: what the Boltfile's `build` says, and no leftovers on failure.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { buildImage } from '../../../../src/drivers/docker/images.js';
import { loadToml } from '../../../fixtures/load-toml.js';

describe('image builds', () => {
  it('send dockerfile, args and target, and remove intermediate containers even when a step fails', async () => {
    const { project } = loadToml(`project = "p"\n[services.b]\nbuild = { context = "./ctx", dockerfile = "Custom.dockerfile", args = { V = "1" }, target = "final", labels = { team = "ml" } }\n`, {
      files: { 'ctx/Custom.dockerfile': 'FROM scratch\n' },
    });
    const s = project.services.b;
    if (!s) throw new Error('no service');
    let sent: Record<string, unknown> = {};
    const docker = {
      buildImage: async (_context: unknown, options: Record<string, unknown>) => {
        sent = options;
        return {};
      },
      modem: { followProgress: (_s: unknown, done: (err: Error | null) => void) => done(null) },
    } as unknown as Docker;
    await buildImage(docker, project, s, 'p-b', { signal: new AbortController().signal, log: () => {} });
    expect(sent).toMatchObject({
      t: 'p-b',
      dockerfile: 'Custom.dockerfile',
      buildargs: { V: '1' },
      target: 'final',
      forcerm: true,
      nocache: false,
      // Every object surge creates carries its labels, built images too.
      labels: { team: 'ml', 'surge.project': 'p', 'surge.service': 'b' },
    });
  });
});

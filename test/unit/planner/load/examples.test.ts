// Every example and the top-level Boltfile validate and plan.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../../src/drivers/memory/memory-driver.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { plan } from '../../../../src/planner/plan.js';

const root = resolve(import.meta.dirname, '../../../..');
const examples = readdirSync(join(root, 'examples/bolt'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(root, 'examples/bolt', d.name)).includes('Boltfile.toml'))
  .map((d) => join('examples/bolt', d.name, 'Boltfile.toml'));

describe('examples', () => {
  it('has the promised examples', () => {
    expect(examples.map((e) => e.split('/')[2]).sort()).toEqual(expect.arrayContaining(['gaming', 'hpc', 'ml-training', 'monitoring', 'quickstart']));
  });

  it.each([...examples, 'Boltfile.toml'])('%s validates without warnings and plans', async (file) => {
    const { project, warnings } = loadProject({ files: [join(root, file)], cwd: root, envFiles: [], env: {} });
    expect(warnings).toEqual([]);
    const p = plan(project, await new MemoryDriver().observe(project));
    expect(p.actions.length).toBeGreaterThan(0);
    expect(p.summary.create).toBe(p.actions.length);
  });
});

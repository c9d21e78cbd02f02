import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string) {
  return spawnSync(depcruise, ['src', '--config', join(root, '.dependency-cruiser.cjs')], {
    cwd,
    encoding: 'utf8',
  });
}

it('fails the build when a domain imports http/ or engine/', () => {
  const r = cruise(join(root, 'test', 'fixtures', 'layering'));
  expect(r.status).not.toBe(0);
  expect(r.stdout).toContain('domains-stay-low');
  expect(r.stdout).toMatch(/src\/domains\/alerts\/alerts\.service\.ts → src\/http\/server\.ts/);
  expect(r.stdout).toMatch(/src\/domains\/alerts\/alerts\.service\.ts → src\/engine\/engine\.ts/);
});

it('passes on the real source tree', () => {
  const r = cruise(root);
  expect(r.stdout + r.stderr).toContain('no dependency violations found');
  expect(r.status).toBe(0);
});

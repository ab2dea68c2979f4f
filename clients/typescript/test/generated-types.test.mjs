// The committed wire types must be exactly what openapi-typescript makes from
// docs/openapi.yaml today: if the API changes, `npm run generate` must be rerun.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('src/generated/openapi.ts is what `npm run generate` makes from docs/openapi.yaml', () => {
  const script = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).scripts.generate;
  const out = join(mkdtempSync(join(tmpdir(), 'hitlgate-gen-')), 'openapi.ts');
  try {
    // The same command line as the npm script, written to a temporary file instead.
    const args = script.replace(/^openapi-typescript\s+/, '').replace(/-o\s+\S+/, `-o ${out}`).split(/\s+/);
    execFileSync(join(PACKAGE, 'node_modules/.bin/openapi-typescript'), args, { cwd: PACKAGE, stdio: 'pipe' });
    const fresh = readFileSync(out, 'utf8');
    const committed = readFileSync(join(PACKAGE, 'src/generated/openapi.ts'), 'utf8');
    assert.ok(fresh.includes('AgentTaskView'), 'the generator produced the API types');
    assert.ok(fresh === committed, 'src/generated/openapi.ts is out of date: run `npm run generate` in clients/typescript and commit it');
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
});

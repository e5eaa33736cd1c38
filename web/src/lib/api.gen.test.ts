// api.gen.ts is generated from docs/api/openapi.yaml (`npm run api-types`): it must say what
// the document says now, so the screens' types follow every change to the API's description.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('api.gen.ts', () => {
  it('is what openapi-typescript makes of docs/api/openapi.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yoyaku-api-types-'));
    try {
      const out = join(dir, 'api.gen.ts');
      execFileSync(
        join('node_modules', '.bin', 'openapi-typescript'),
        ['../docs/api/openapi.yaml', '--default-non-nullable', 'false', '-o', out],
        { stdio: 'pipe' },
      );
      expect(readFileSync('src/lib/api.gen.ts', 'utf8')).toBe(readFileSync(out, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The generator takes under a second alone, many on a machine busy with the rest of the suite.
  }, 60_000);
});

// Reports what the public booking page loads (index.html's scripts, preloads and styles),
// gzipped, and fails the build above the budget (150 KB of JavaScript).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let js = 0;
let css = 0;
for (const f of new Set(files)) {
  const size = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  if (f.endsWith('.js')) js += size;
  else css += size;
  console.log(`  ${f}  ${(size / 1024).toFixed(1)} KB gzipped`);
}
const budget = 150 * 1024;
console.log(
  `public booking page: ${(js / 1024).toFixed(1)} KB of JavaScript gzipped ` +
    `(budget 150 KB, ${((100 * js) / budget).toFixed(0)} % of it), ${(css / 1024).toFixed(1)} KB of CSS`,
);
if (js === 0 || js > budget) {
  console.error(js === 0 ? 'no script found in dist/index.html' : 'over the budget');
  process.exit(1);
}

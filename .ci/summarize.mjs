// Adds up every vitest summary ("Tests  3 failed | 97 passed (100)") in a turbo log and prints
// one closing line, so CI shows the whole run's count at a glance.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [, counts] of text.matchAll(/^\S*\s*Tests\s+(.+)\(\d+\)\s*$/gm)) {
  for (const [, n, kind] of counts.matchAll(/(\d+) (passed|failed|skipped)/g)) {
    if (kind === 'passed') passed += Number(n);
    else if (kind === 'failed') failed += Number(n);
    else skipped += Number(n);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);

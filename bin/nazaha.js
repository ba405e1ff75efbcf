#!/usr/bin/env node
// The `nazaha` command (npx nazaha …): runs the compiled CLI built by `npm install`.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/index.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('nazaha: dist/ is missing; run `npm install` (or `npm run build`) first.\n');
  process.exit(1);
}
await import(compiled.href);

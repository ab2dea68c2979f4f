// Copies web/src to web/dist as-is. The console is plain ES modules and one
// CSS file: no bundler, no transpiler (see docs/adr/0004-console-technology.md).
import { cpSync, rmSync, mkdirSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(src, dist, { recursive: true });

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(relative(dist, p));
  }
})(dist);
writeFileSync(join(dist, 'build.json'), JSON.stringify({ built_at: new Date().toISOString(), files: files.sort() }, null, 1));
console.log(`console: copied ${files.length} files to ${relative(process.cwd(), dist) || '.'}`);

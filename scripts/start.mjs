#!/usr/bin/env node
// `npm start`: builds the server and web app when dist/ is missing or older than the sources,
// then runs the CLI in this process (`tocsin serve` by default). `--build-only` just builds.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const inputs = [
  'src',
  'web',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.build.json',
];
const sourcesAt = Math.max(...inputs.map((p) => newestMtime(join(root, p))));
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (
  builtAt < sourcesAt ||
  !existsSync(join(root, 'dist', 'server', 'main.js')) ||
  !existsSync(join(root, 'dist', 'web', 'index.html'))
) {
  process.stdout.write('Building Tocsin (first start or sources changed)…\n');
  execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, new Date().toISOString() + '\n');
}

const args = process.argv.slice(2);
if (args[0] === '--build-only') process.exit(0);
// `npm start -- --no-demo` means `tocsin serve --no-demo`.
const command = args.length === 0 || args[0].startsWith('-') ? ['serve', ...args] : args;
process.argv = [process.argv[0], join(root, 'bin', 'tocsin.js'), ...command];
await import(join(root, 'dist', 'server', 'main.js'));

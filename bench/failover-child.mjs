// The engine node that dies, for `npm run bench:failover`: the compiled app with the engine role
// on the store named in the environment (TOCSIN_DATABASE_URL or TOCSIN_DATA_DIR). Its engine runs
// the built-in modules and then `bench-hold`, which never returns: the process stays in the middle
// of a cycle, holding every module lease, and prints `holding` so the benchmark can SIGKILL it
// there. `bench-probe` comes after it, so this node never runs it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const dist = (path) => import(pathToFileURL(join(root, 'dist', 'server', path)).href);
const { createApp } = await dist('app/app.js');
const { loadConfig } = await dist('config/config.js');

if (!process.env.TOCSIN_DATA_DIR) throw new Error('TOCSIN_DATA_DIR is required');
const config = loadConfig(
  {},
  {
    dataDir: process.env.TOCSIN_DATA_DIR, // a temp dir of the benchmark's, never ./data
    databaseUrl: process.env.TOCSIN_DATABASE_URL || undefined,
    roles: ['engine'],
    demo: false,
    logLevel: 'silent',
  },
);
const app = await createApp({
  config,
  skipInitialise: true,
  extraModules: [
    {
      name: 'bench-hold',
      runOnce: async () => {
        process.stdout.write('holding\n');
        return new Promise(() => {});
      },
    },
    { name: 'bench-probe', runOnce: async () => ({ processed: 0 }) },
  ],
});
await app.start();
// The engine's timer does not keep a process alive (a server's socket does; this node has none).
setInterval(() => {}, 1 << 30);

// Dev-only: serves renderer/harness.html (the real UI on a scripted demo backend) with Vite.
// `npx tsx scripts/ui-harness.ts [--port 5199]`, then open http://127.0.0.1:5199/harness.html?history=600
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { createServer } from 'vite';

const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 5199;
const server = await createServer({
  root: resolve(import.meta.dirname, '../renderer'),
  configFile: false,
  plugins: [vue()],
  server: { port, host: '127.0.0.1', strictPort: true },
  logLevel: 'warn',
});
await server.listen();
console.log(`UI harness at http://127.0.0.1:${port}/harness.html`);

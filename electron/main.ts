import { app, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from './api/backend.js';
import { forwardEvents, registerIpc } from './app/ipc.js';
import { hardenSession } from './app/security.js';
import { createMainWindow } from './app/window.js';
import { spawnUtilityProcess } from './app/utility-simulator.js';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  const resources = app.isPackaged ? process.resourcesPath : undefined;
  const backend = await createBackend({
    mode: 'electron',
    dataDir: app.getPath('userData'),
    simulatorEntry: { command: process.execPath, args: [join(outDir, 'main', 'sim-cli.js')] },
    spawnSimulator: spawnUtilityProcess,
    ...(resources ? { bundledAdbDir: join(resources, 'adb'), bundledPayloadRoot: join(resources, 'payload') } : {}),
  });
  const main = createMainWindow(outDir);
  const unregister = registerIpc(backend, main.isTrustedSender);
  const stopForwarding = forwardEvents(backend, main.window.webContents);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    event.preventDefault();
    stopForwarding();
    unregister();
    void backend.dispose().finally(() => app.exit(0));
  });
});

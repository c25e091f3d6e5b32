import { BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hardenContents } from './security.js';

export interface MainWindow {
  window: BrowserWindow;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

export function createMainWindow(outDir: string): MainWindow {
  const indexHtml = join(outDir, 'renderer', 'index.html');
  const appUrl = pathToFileURL(indexHtml).href;
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Goldfish OOM Manager',
    // Spelled out here, not spread from a constant, so that static audits (electronegativity) can read them.
    webPreferences: {
      preload: join(outDir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  const isAppUrl = (url: string) => url.split('#')[0] === appUrl;
  hardenContents(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(indexHtml);
  return {
    window,
    isTrustedSender: (event) =>
      event.sender === window.webContents && event.senderFrame !== null && event.senderFrame === window.webContents.mainFrame && isAppUrl(event.senderFrame.url),
  };
}

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'goldfish/layer-imports').map((m) => m.message);
}

describe('layer-imports lint rule', () => {
  it('refuses a renderer file importing main-process code', async () => {
    const messages = await layerMessages('renderer/src/stores/bad.ts', "import { createBackend } from '../../../electron/api/backend.js';\nexport const x = createBackend;\n");
    expect(messages).toEqual(["Layer 'renderer' may not import from 'electron' (allowed: contract, renderer)."]);
  });

  it('refuses Node built-ins and electron in the renderer', async () => {
    const messages = await layerMessages('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nimport { ipcRenderer } from 'electron';\nexport { readFileSync, ipcRenderer };\n");
    expect(messages).toHaveLength(2);
  });

  it('keeps the simulator core free of Node and of the app', async () => {
    const messages = await layerMessages(
      'native-emulator/core/kernel/bad.ts',
      "import { Socket } from 'node:net';\nimport { dispatch } from '../../../electron/api/dispatch.js';\nexport { Socket, dispatch };\n",
    );
    expect(messages).toHaveLength(2);
  });

  it('allows the renderer to import the contract', async () => {
    expect(await layerMessages('renderer/src/x.ts', "import { requests } from '../../contract/api.js';\nexport { requests };\n")).toEqual([]);
  });

  it('flags a wall clock in the simulator core', async () => {
    const [result] = await eslint.lintText('export const t = Date.now();\n', { filePath: 'native-emulator/core/kernel/clock-bad.ts' });
    expect(result.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });
});

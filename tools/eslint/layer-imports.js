// Imports flow one way: contract <- native-emulator/core <- native-emulator/node <- electron; the renderer
// talks to the rest only through the contract. The layer of a file is read from its folder.
import { dirname, relative, resolve, sep } from 'node:path';

const LAYERS = [
  { name: 'contract', dir: 'contract', mayImport: ['contract'], platform: false },
  { name: 'native-emulator/core', dir: 'native-emulator/core', mayImport: ['native-emulator/core'], platform: false },
  { name: 'native-emulator/node', dir: 'native-emulator/node', mayImport: ['native-emulator/core', 'native-emulator/node'], platform: true },
  { name: 'electron', dir: 'electron', mayImport: ['contract', 'native-emulator/core', 'native-emulator/node', 'electron'], platform: true },
  { name: 'renderer', dir: 'renderer', mayImport: ['contract', 'renderer'], platform: false },
];

const NODE_BUILTIN = /^node:|^(fs|path|os|net|http|https|child_process|crypto|stream|events|util|url|worker_threads|zlib|dgram|tls|readline)(\/|$)/;
const PLATFORM_PACKAGES = /^(electron|ws|@devicefarmer\/)/;

function layerOf(root, file) {
  const rel = relative(root, file).split(sep).join('/');
  return LAYERS.find((layer) => rel === layer.dir || rel.startsWith(layer.dir + '/'));
}

function isTest(file) {
  return /\.(test|spec)\.ts$/.test(file) || /\/testing\//.test(file.split(sep).join('/'));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the one-way flow of imports between the layers named by folders' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: "Layer '{{from}}' may not import from '{{to}}' (allowed: {{allowed}}).",
      platform: "Layer '{{from}}' is platform-free and may not import '{{source}}'.",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from || isTest(file)) return {};

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const to = layerOf(root, resolve(dirname(file), source));
        if (to && !from.mayImport.includes(to.name)) {
          context.report({ node, messageId: 'layer', data: { from: from.name, to: to.name, allowed: from.mayImport.join(', ') } });
        }
        return;
      }
      if (!from.platform && (NODE_BUILTIN.test(source) || PLATFORM_PACKAGES.test(source))) {
        context.report({ node, messageId: 'platform', data: { from: from.name, source } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

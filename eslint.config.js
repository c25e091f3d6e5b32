import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import layerImports from './tools/eslint/layer-imports.js';

const root = dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.tsbuild/', 'build/', 'reports/', 'test-results/', 'playwright-report/', 'tools/eslint/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['scripts/**/*.{js,mjs}', 'tools/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    plugins: { goldfish: { rules: { 'layer-imports': layerImports } } },
    rules: {
      'goldfish/layer-imports': ['error', { root }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['native-emulator/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      // Device programs are generators that the kernel steps; one that never blocks has nothing to yield.
      'require-yield': 'off',
      // A generator body cannot be an arrow function, so a forked shell refers to its parent by name.
      '@typescript-eslint/no-this-alias': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The simulated kernel runs on the injected clock: no Date.now().' },
        { selector: "NewExpression[callee.name='Date']", message: 'The simulated kernel runs on the injected clock: no new Date().' },
        { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Schedule on the injected Scheduler instead.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the seeded RNG.' },
      ],
    },
  },
);

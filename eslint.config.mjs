// Lint rules, including the layering rules of DEVELOPERS.md: only src/client imports `vscode`,
// src/ssq is pure, and dependencies point downward only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  // src/helper/cli/wasm is AssemblyScript (its own tsconfig; compiled by esbuild.js).
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'out/**', 'media/vendor/**', 'src/helper/cli/wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  layer(['src/ssq/**'], ['vscode', 'node:*', 'fs', 'path', 'os', 'child_process', 'net', 'koffi', '../netlink/*', '../helper/*', '../server/*', '../client/*', '../protocol/*', '../webview/*'], 'src/ssq is pure: no node:*, no vscode, nothing above it.'),
  layer(['src/netlink/**'], ['vscode', '../helper/*', '../server/*', '../client/*', '../webview/*', '../ssq/*', '../protocol/*'], 'src/netlink depends on nothing above it.'),
  layer(['src/protocol/**'], ['vscode', 'node:*', 'koffi', '../netlink/*', '../helper/*', '../server/*', '../client/*', '../webview/*', '../ssq/*'], 'src/protocol holds types and validators only.'),
  layer(['src/helper/**'], ['vscode', '../server/*', '../client/*', '../webview/*'], 'src/helper may use netlink, ssq and protocol only.'),
  layer(['src/server/**'], ['vscode', 'koffi', '../netlink/*', '../helper/*', '../client/*', '../webview/*'], 'src/server may use ssq and protocol only.'),
  layer(['src/client/**'], ['koffi', '../netlink/*', '../helper/*', '../server/*', '../webview/*'], 'src/client talks to the helper and server over protocols, never by import.'),
  layer(['src/webview/**'], ['vscode', 'node:*', 'koffi', '../netlink/*', '../helper/*', '../server/*', '../client/*', '../ssq/*'], 'src/webview runs in the browser: protocol types only.'),
);

// Lint rules. The layering of src/ (ARCHITECTURE.md) is the local rule `sockscope/layers`
// (tools/eslint/layers.mjs): it resolves every import to its folder, so it holds at any depth.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './tools/eslint/layers.mjs';

export default tseslint.config(
  // src/cli/wasm is AssemblyScript (its own tsconfig; compiled by esbuild.js).
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'out/**', 'media/vendor/**', 'src/cli/wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['src/**/*.ts'], plugins: { sockscope: layers }, rules: { 'sockscope/layers': 'error' } },
);

// ESLint: typescript-eslint strict rules, react-hooks for the renderer, and the layering rules.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Plain-JavaScript entry points (bin.mjs, the code cache loader): Node's globals, read rather than imported, since
    // an ES import of node:process or node:fs builds a facade that reads every export at start-up.
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __filename: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The product core is plain Node: no Electron, no HTTP server, no CLI.
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-main/core never imports electron; put glue in src-main/electron.' }],
          patterns: [{ group: ['**/electron/**', '**/server/**', '**/cli/**'], message: 'core does not depend on glue.' }],
        },
      ],
    },
  },
  {
    // The shared contract runs in both processes: no Node, no DOM-only modules.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '**/src-main/**', '**/src-renderer/**'], message: 'src-shared is environment-free.' }] }],
    },
  },
  {
    // The renderer never touches Node.
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '**/src-main/**'], message: 'the renderer talks to main only through the API transport.' }] }],
    },
  },
);

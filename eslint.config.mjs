// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which project may import which, by the tags in each project.json: a project must pass the constraint of every tag it
 * has. On top of these, Nx forbids importing an app from any project.
 */
const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:hub', onlyDependOnLibsWithTags: ['scope:hub', 'scope:shared'] },
  { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:agent', 'scope:shared'] },
];

export default defineConfig(
  { ignores: ['**/dist/', '**/node_modules/', 'bench/results/', 'data/', '.nx/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints }],
      // Nx finds the project of a path into a package's build output only once it is built: refused here in any checkout.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@hostwatch/*/dist', '@hostwatch/*/dist/**'], message: 'Import a package by its entry points.' }] },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Sanitisers match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.mjs'],
    // Chai's property assertions (`expect(x).to.be.empty`) are expressions.
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // The benchmarks load the hub's own modules from its build.
    files: ['bench/**'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints, allow: ['@hostwatch/hub/dist/**'] }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Browser scripts, served as they are; uPlot comes from its own script tag.
    files: ['apps/hub/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, uPlot: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
  },
  prettier,
);

// Lint rules, including the layer rules of STYLE.md #16:
// - the domain (deciders, events, commands, libs/kernel, any libs/*/src/domain/) imports no framework,
//   no database, no messaging client, and reads no clock;
// - libs never import apps;
// - kafkajs (no longer maintained) stays behind the messaging port: only libs/messaging and the
//   reference consumer (apps/notifier) import it, besides tests.
import tseslint from 'typescript-eslint';

const infrastructure = ['@nestjs/*', 'better-sqlite3', 'pg', 'kysely', 'kafkajs', '@kurrent/*', 'fastify', 'pino', 'node:*'];
const KAFKAJS = { name: 'kafkajs', message: 'kafkajs stays behind the messaging port (@app/messaging).' };
export const DOMAIN_FILES = [
  'libs/kernel/**/*.ts',
  'libs/*/src/domain/**/*.ts',
  'libs/**/*.decider.ts',
  'libs/**/*.events.ts',
  'libs/**/*.commands.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-artifacts/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    // Nest resolves constructor parameters from emitted metadata, so a class used only in a
    // parameter type is still a runtime import.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    files: ['apps/**/*.ts'],
    ignores: ['apps/notifier/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [KAFKAJS] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', 'apps/*'], message: 'Layer rule: libs never import apps.' }] },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/messaging/**', '**/*.spec.ts', ...DOMAIN_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/apps/**', 'apps/*'], message: 'Layer rule: libs never import apps.' }],
          paths: [KAFKAJS],
        },
      ],
    },
  },
  {
    files: DOMAIN_FILES,
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**', 'apps/*'], message: 'Layer rule: libs never import apps.' },
            { group: infrastructure, message: 'Layer rule: domain code imports no framework, database or messaging client.' },
            { group: ['@app/*', '!@app/kernel'], message: 'Layer rule: domain code depends on the kernel only.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Layer rule: domain code reads no clock; use command.metadata.now.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Layer rule: domain code reads no clock; use command.metadata.now.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Layer rule: domain code is deterministic; ids arrive with the command.',
        },
      ],
    },
  },
);

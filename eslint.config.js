// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A string that starts like an SQL statement (keywords in capitals, as every query here is written). */
const SQL =
  '/^\\s*(SELECT\\s|INSERT\\s+(OR\\s+[A-Z]+\\s+)?INTO\\s|UPDATE\\s+\\w+\\s+SET\\s|DELETE\\s+FROM\\s|REPLACE\\s+INTO\\s|CREATE\\s+(TABLE|INDEX|UNIQUE|TRIGGER|VIEW)\\s|ALTER\\s+TABLE\\s|DROP\\s+(TABLE|INDEX)\\s|PRAGMA\\s|WITH\\s+\\w+\\s+AS\\s)/';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'bench/results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // SQL lives in src/persistence/ (one repository per table), so a schema change is one folder's
    // business. The paper exchange's store is the one exception: its tables are the simulated
    // exchange's own state, private to that adapter, and never read by the bot's other layers.
    files: ['src/**/*.ts'],
    ignores: ['src/persistence/**', 'src/exchange/paper/PaperStore.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(prepare|exec|pragma)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]',
          message: 'SQL belongs in src/persistence/: add or extend a repository there',
        },
        {
          selector: `Literal[value=${SQL}]`,
          message: 'SQL belongs in src/persistence/: add or extend a repository there',
        },
        {
          selector: `TemplateElement[value.raw=${SQL}]`,
          message: 'SQL belongs in src/persistence/: add or extend a repository there',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'only src/persistence/ opens and queries the database' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/strategies/**/*.ts'],
    rules: {
      // Domain and strategy code is pure: no adapters, no I/O.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/exchange/**',
                '**/persistence/**',
                '**/telegram/**',
                'better-sqlite3',
                'axios',
                'grammy',
              ],
              message: 'domain and strategy code stays pure',
            },
          ],
        },
      ],
    },
  },
);

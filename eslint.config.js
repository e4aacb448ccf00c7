// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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

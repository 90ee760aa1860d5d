import tseslint from 'typescript-eslint';
import layers from './build/eslint-layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-output/**', 'renderer/dist/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    plugins: { webbdesk: layers },
    rules: {
      'webbdesk/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-new-func': 'error',
      'no-throw-literal': 'error',
    },
  },
);

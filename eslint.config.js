import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import layers from './build/eslint-layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-output/**', 'renderer/dist/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  // Vue single-file components: vue-eslint-parser for the template, typescript-eslint for <script lang="ts">;
  // the layer rule below applies to their imports too.
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
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

// Renderer build: `npm run build:renderer` -> dist/renderer (served by `webbdesk serve`, loaded by Electron).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../renderer/', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // No eval, no inline scripts: the CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: { input: { index: `${here}index.html`, bench: `${here}bench.html` } },
  },
  define: { __WEBBDESK_DEV__: JSON.stringify(process.env.NODE_ENV !== 'production') },
});

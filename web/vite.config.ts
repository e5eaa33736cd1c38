// Builds the web app into dist/, which `yoyaku serve` serves (server.web_root). Preact's JSX
// runtime through esbuild; fingerprinted files under /assets/ (cached for a year by the server).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const shared = fileURLToPath(new URL('../src/domain/mail/templates', import.meta.url));

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { alias: { '@formats': shared } },
  server: { fs: { allow: ['..'] }, proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline scripts or styles: the server's CSP forbids them (SPEC S10).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { writeServiceWorkerPrecache } from './vite-plugins/service-worker-precache.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard. The workflow editor (@xyflow/react) is imported lazily by the
 * router, so Rolldown puts it in its own chunk and the first page load stays small.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), writeServiceWorkerPrecache()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The server's CSP allows scripts from 'self' only: no inline polyfill.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev -w @weft/web` beside `npm start`: API calls go to the server.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/hooks': 'http://127.0.0.1:3000',
      '/privacy': 'http://127.0.0.1:3000',
    },
  },
});

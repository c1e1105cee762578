import { defineConfig } from 'vite';

/** Cross-origin isolation (SharedArrayBuffer), so the wasm backend and onnxruntime-web can run
 * threads; everything the page loads is same-origin, so COEP costs nothing. */
const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export default defineConfig({
  // Relative asset paths: the built site works from any static host and any subfolder.
  base: './',
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION_HEADERS },
  // onnxruntime-web finds its .wasm/.mjs next to its own module: pre-bundling would move it.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      output: {
        // onnxruntime-web starts a worker from its own module's URL: that module must be a chunk
        // of its own, importing nothing of the page (else the worker runs page code, no DOM).
        manualChunks: (id) => (id.includes('onnxruntime-web') ? 'onnxruntime-web' : undefined),
      },
    },
  },
  worker: { format: 'es' },
});

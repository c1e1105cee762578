export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './create-backend.js';

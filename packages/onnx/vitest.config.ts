import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** fixtures.test.ts runs every backend package, @gated/backend-webgpu included: on a machine
 * without a GPU, Dawn finds an adapter through Debian's SwiftShader Vulkan driver (as in that
 * package's own vitest config). Set VK_ICD_FILENAMES yourself to test on another driver. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

export default defineConfig({ test: { include: ['src/**/*.test.ts'], env } });

import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Debian's SwiftShader Vulkan driver (shipped with its chromium package): on a machine without a
 * GPU, Dawn finds an adapter through it. Set VK_ICD_FILENAMES yourself to test on another driver. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

export default defineConfig({ test: { include: ['src/**/*.test.ts'], env } });

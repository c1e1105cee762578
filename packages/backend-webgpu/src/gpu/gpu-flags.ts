/** WebGPU's flag values (fixed by the specification), so that the kernels need no globals:
 * Node has no GPUBufferUsage until the `webgpu` package installs one. */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MAP_MODE_READ = 0x0001;
export const SHADER_STAGE_COMPUTE = 0x4;

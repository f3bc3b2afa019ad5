export { ContainerdRuntime } from './containerd-runtime.js';
export { DEFAULT_CONTAINERD_ADDRESS, DEFAULT_CONTAINERD_NAMESPACE, DEFAULT_CONTAINERD_SANDBOX_IMAGE } from './types.js';
export type { ContainerdRuntimeOptions, CniOptions } from './types.js';

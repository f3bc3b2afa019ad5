/** The process container runtime: containers as local host processes (like Nomad's raw_exec). */
export { ProcessRuntime } from './process-runtime.js';
export type { ProcessRuntimeOptions } from './types.js';

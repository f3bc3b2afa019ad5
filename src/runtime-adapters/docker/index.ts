/** The Docker runtime adapter: run tugboat's pods as containers on a Docker daemon. */
export { DockerRuntime } from './docker-runtime.js';
export { DEFAULT_SANDBOX_IMAGE, type DockerRuntimeOptions } from './types.js';

/**
 * The Docker runtime adapter, a separate entry point (`import { DockerRuntime } from 'tugboat/docker'`)
 * so that dockerode loads only for its users.
 * @packageDocumentation
 */
export { DockerRuntime, DEFAULT_SANDBOX_IMAGE } from './runtime-adapters/docker/index.js';
export type { DockerRuntimeOptions } from './runtime-adapters/docker/index.js';

/**
 * The containerd runtime adapter, a separate entry point (`import { ContainerdRuntime } from 'tugboat/containerd'`)
 * so that @grpc/grpc-js (an optional peer dependency) and protobufjs load only for its users (on its first call).
 * @packageDocumentation
 */
export {
  ContainerdRuntime,
  DEFAULT_CONTAINERD_ADDRESS,
  DEFAULT_CONTAINERD_NAMESPACE,
  DEFAULT_CONTAINERD_SANDBOX_IMAGE,
} from './runtime-adapters/containerd/index.js';
export type { ContainerdRuntimeOptions, CniOptions } from './runtime-adapters/containerd/index.js';

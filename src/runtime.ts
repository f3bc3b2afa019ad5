/**
 * For people implementing a container runtime: the CRI-shaped `ContainerRuntime` contract, the
 * labels tugboat puts on what it creates, and the built-in mock and process runtimes.
 * `import { type ContainerRuntime, RUNTIME_LABELS } from 'tugboat/runtime'`.
 * @packageDocumentation
 */
export { RUNTIME_LABELS, ImagePullError } from './runtime-adapters/types.js';
export type {
  ContainerRuntime,
  ContainerConfig,
  ContainerStatus,
  SandboxConfig,
  SandboxDNS,
  PodNetwork,
  SandboxStatus,
  RuntimeEvent,
  RuntimeBinding,
  FilesMount,
  Mount,
  PortMapping,
  PullPolicy,
  LogLine,
  LogOptions,
  ExecResult,
  ContainerStreams,
  StreamOptions,
  TerminalSize,
  ContainerStats,
  ImageInfo,
  ProbeAction,
  ProbeOutcome,
  SecuritySettings,
} from './runtime-adapters/types.js';
export { RuntimeInstance, ownerState, isClaimable } from './runtime-adapters/instance.js';
export type { ReclaimOptions, InstanceOwner, OwnerState } from './runtime-adapters/instance.js';
export type { ReclaimReport } from './runtime-adapters/types.js';
export { MockRuntime, MockNodeUnreachableError } from './runtime-adapters/mock/index.js';
export type {
  MockImageBehavior,
  MockProcessIO,
  MockRuntimeOptions,
  MockPodSelector,
  MockContainerInfo,
  MockCallCounters,
} from './runtime-adapters/mock/index.js';
export { ProcessRuntime } from './runtime-adapters/process/index.js';
export type { ProcessRuntimeOptions } from './runtime-adapters/process/index.js';
export { NodeAgent } from './node-agent/node-agent.js';
export type { NodeAgentDeps } from './node-agent/node-agent.js';
export { PodDispatcher, NODE_NAME_INDEX } from './node-agent/pod-source.js';
export { RuntimeEventHub } from './node-agent/runtime-events.js';
export type { AttachOptions, ExecStreamOptions } from './node-agent/pod-streams.js';
export type { NodeAgentOptions, NodeAgentStopOptions, NodeResources, PodLogOptions, PodSink, PodStats } from './node-agent/types.js';

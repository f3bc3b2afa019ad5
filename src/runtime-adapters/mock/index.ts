/** The mock container runtime: deterministic, in memory, on the cluster's clock. */
export { MockRuntime } from './mock-runtime.js';
export { MockNodeUnreachableError } from './frozen-nodes.js';
export type {
  MockImageBehavior,
  MockProcessIO,
  MockRuntimeOptions,
  MockPodSelector,
  MockContainerInfo,
  MockCallCounters,
} from './types.js';

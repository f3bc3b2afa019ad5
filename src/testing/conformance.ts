/**
 * The conformance suites as `tugboat/testing` exports them. They register vitest cases, and
 * vitest can only be loaded inside a vitest run, so each suite's module (and vitest with it) is
 * loaded when the suite is called, never when `tugboat/testing` is imported: a program that
 * uses only the mock cluster or the fixtures needs no vitest.
 */
import type { ObjectStoreConformanceOptions } from './conformance/object-store.js';
import type { ContainerRuntimeConformanceOptions } from './conformance/container-runtime.js';

/**
 * Registers the ObjectStore conformance cases (vitest `describe`/`it`) for one store
 * implementation. Await it at the top level of a test file; needs `vitest` (an optional peer
 * dependency of tugboat).
 *
 * @example
 * await runObjectStoreConformance({ name: 'MemoryStore', newStore: (options) => new MemoryStore(options) });
 */
export async function runObjectStoreConformance(options: ObjectStoreConformanceOptions): Promise<void> {
  const suite = await import('./conformance/object-store.js');
  suite.registerObjectStoreConformance(options);
}

/**
 * Registers the ContainerRuntime conformance cases (vitest `describe`/`it`, real time) for one
 * runtime. Await it at the top level of a test file; needs `vitest` (an optional peer
 * dependency of tugboat).
 *
 * @example
 * await runContainerRuntimeConformance({ name: 'mine', setup: async () => ({ runtime, reopen, fixtures, cleanup }) });
 */
export async function runContainerRuntimeConformance(options: ContainerRuntimeConformanceOptions): Promise<void> {
  const suite = await import('./conformance/container-runtime.js');
  suite.registerContainerRuntimeConformance(options);
}

/**
 * Registers the CloudProvider conformance cases (vitest), one group per part the provider
 * offers (loadBalancers, nodeGroups). Await it at the top level of a test file; needs `vitest`.
 *
 * @example
 * await runCloudProviderConformance({ name: 'mine', newLoadBalancers: () => new MyBalancers() });
 */
export async function runCloudProviderConformance(
  options: import('./conformance/cloud-provider.js').CloudProviderConformanceOptions,
): Promise<void> {
  const suite = await import('./conformance/cloud-provider.js');
  suite.registerCloudProviderConformance(options);
}

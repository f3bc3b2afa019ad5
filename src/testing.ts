/**
 * For tests: a mock cluster in one line, fluent fixtures, a fake reconcile context for
 * controller unit tests, and the conformance suites third-party stores and runtimes run.
 * `import { startMockCluster, makePod, fakeReconcileContext } from 'tugboat/testing'`.
 *
 * The conformance suites register vitest cases, so they need `vitest` installed (an optional
 * peer dependency of tugboat) and run only inside vitest (`await` them at the top level of a
 * test file); they load vitest when called, so the rest of this entry works in any program.
 * @packageDocumentation
 */
export {
  startMockCluster,
  mockNodeName,
  mockNodeSpec,
  ZONE_LABEL,
  DEFAULT_NODE_CAPACITY,
} from './testing/mock-cluster.js';
export type { MockCluster, MockClusterOptions, MockNodeInput } from './testing/mock-cluster.js';
export { advanceBy } from './testing/advance-by.js';
export type { AdvanceByOptions } from './testing/advance-by.js';
export { makePod, PodBuilder } from './testing/pod-fixture.js';
export { makeNode, NodeBuilder } from './testing/node-fixture.js';
export { makeDeployment, DeploymentBuilder } from './testing/deployment-fixture.js';
export { fakeReconcileContext } from './testing/fake-reconcile-context.js';
export type { FakeReconcileContext, FakeReconcileContextOptions } from './testing/fake-reconcile-context.js';
export { eventually } from './testing/eventually.js';
export type { EventuallyOptions } from './testing/eventually.js';
export { runObjectStoreConformance, runContainerRuntimeConformance, runCloudProviderConformance } from './testing/conformance.js';
export type { CloudProviderConformanceOptions, RecordingHost } from './testing/conformance/cloud-provider.js';
export type { VolumeConformanceOptions } from './testing/conformance/cloud-provider-volumes.js';
export type { ObjectStoreConformanceOptions } from './testing/conformance/object-store.js';
export type { ConformanceStoreOptions } from './testing/conformance/object-store-helpers.js';
export type {
  ContainerRuntimeConformanceOptions,
  ConformanceContext,
  RuntimeHarness,
  RuntimeFixtures,
  FixtureContainer,
} from './testing/conformance/container-runtime.js';
export type { SkippedCases } from './testing/conformance/cases.js';
export type { AdvanceUntilOptions, SettleOptions } from './cluster/settle.js';
export { MockCloudProvider } from './testing/mock-cloud-provider.js';
export { MockVolumes, MOCK_PROVISIONER } from './testing/mock-volumes.js';
export type { MockDisk, MockVolumesOptions } from './testing/mock-volumes.js';
export type { MockCloudProviderOptions, MockCloudCall, CloudPart, AttachableNodeGroups } from './testing/mock-cloud-provider.js';

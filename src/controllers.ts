/**
 * For people writing controllers: the controller runtime (manager, work queue, rate limiter,
 * informers), its contract, the helpers the built-in controllers use (controllerRef,
 * createOrPatch, podFromTemplate, computeHash, ControllerRevision history, claiming), and the
 * built-in controllers.
 * `import { ControllerManager, terminalError } from 'tugboat/controllers'`.
 * @packageDocumentation
 */
export * from './controllers/index.js';
export * from './controllers/util/index.js';
export { listWatch, isExpired } from './client/list-watch.js';
export type { ListWatchHandler, ListWatchOptions, ListWatchFailure } from './client/list-watch.js';
export { preferredKinds } from './client/preferred-kinds.js';

/** The CRD cleanup controller (Kubernetes' CustomResourceCleanup finalizer). */
export { crdCleanupController, type CrdCleanupOptions } from './controller.js';

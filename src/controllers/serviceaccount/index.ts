/** The service-account controllers: a `default` ServiceAccount and the root CA ConfigMap in every namespace. */
export { serviceAccountController, DEFAULT_SERVICE_ACCOUNT } from './controller.js';
export { rootCaPublisher } from './root-ca-publisher.js';

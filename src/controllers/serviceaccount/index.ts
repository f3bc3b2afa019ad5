/** The service-account controller: a `default` ServiceAccount in every namespace. */
export { serviceAccountController, DEFAULT_SERVICE_ACCOUNT } from './controller.js';

/**
 * The Deployment controller and its pure helpers.
 */
export { deploymentController } from './controller.js';
export { templateForRevision } from './revisions.js';

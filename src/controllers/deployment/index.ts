/**
 * The Deployment controller and its pure helpers.
 */
export { deploymentController } from './controller.js';
export { templateForRevision } from './revisions.js';
export { computeTemplateHash, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY } from './util.js';

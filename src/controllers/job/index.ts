/** The Job controller and its pure decisions. */
export { jobController, type JobControllerOptions } from './controller.js';

export { daemonSetController, type DaemonSetControllerOptions } from './controller.js';

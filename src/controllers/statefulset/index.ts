export { statefulSetController } from './controller.js';

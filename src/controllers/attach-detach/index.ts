export { attachDetachController, ATTACH_DETACH_COMPONENT } from './controller.js';

/** The Endpoints controller (v1 Endpoints from each Service's pods). */
export { endpointsController, endpointSubsets, podToServices } from './controller.js';

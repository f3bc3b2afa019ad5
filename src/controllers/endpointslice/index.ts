/** The EndpointSlice controller (discovery.k8s.io/v1 slices from each Service's pods). */
export {
  endpointSliceController,
  desiredSlices,
  SERVICE_NAME_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY,
  MAX_ENDPOINTS_PER_SLICE,
} from './controller.js';

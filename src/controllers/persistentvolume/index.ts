export {
  persistentVolumeClaimController,
  persistentVolumeController,
  PV_COMPONENT,
  type PersistentVolumeControllerOptions,
} from './controller.js';
export { volumeExpandController, FS_RESIZE_PENDING_MESSAGE, RESIZER_COMPONENT } from './expand.js';

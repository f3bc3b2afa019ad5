export {
  persistentVolumeClaimController,
  persistentVolumeController,
  PV_COMPONENT,
  type PersistentVolumeControllerOptions,
} from './controller.js';

/**
 * Names shared by the attach-detach controller and the node agent: the VolumeAttachment of a
 * volume on a node is named as Kubernetes' CSI attacher names it, `csi-<sha256(volume handle +
 * attacher + node)>`, so both sides find it by name; and the PersistentVolume annotation that
 * says a volume must be attached before a pod mounts it (what a CSIDriver's attachRequired says).
 */
import { createHash } from 'node:crypto';

export { ATTACH_REQUIRED_ANNOTATION } from './well-known.js';

/** The name of the VolumeAttachment of `volume` on `node` made by `attacher`. */
export function volumeAttachmentName(volume: string, attacher: string, node: string): string {
  return `csi-${createHash('sha256').update(`${volume}${attacher}${node}`).digest('hex')}`;
}

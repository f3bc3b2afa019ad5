/**
 * The file modes of projected volumes (`defaultMode`, `items[].mode` of secret, configMap,
 * downwardAPI and projected volumes): 0 to 0777, as Kubernetes' validation checks them. A
 * manifest's `0755` is octal (YAML 1.1), so it arrives here as 493.
 */
import type { StatusCause } from '../types.js';
import { invalid } from './field-errors.js';
import { isObject } from './common.js';

/** Kubernetes' message for a file mode out of range. */
const FILE_MODE_MESSAGE = 'must be a number between 0 and 0777 (octal), both inclusive';

/** The cause of a mode that is not an integer from 0 to 0o777; none when absent. */
export function fileModeErrors(mode: unknown, field: string): StatusCause[] {
  if (mode === undefined || mode === null) return [];
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777) return [invalid(field, mode, FILE_MODE_MESSAGE)];
  return [];
}

function itemModes(items: unknown, field: string): StatusCause[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item, i) => (isObject(item) ? fileModeErrors(item.mode, `${field}[${i}].mode`) : []));
}

/** The file-mode causes of one volume at `field` (`spec.volumes[0]`). */
export function volumeFileModeErrors(volume: Record<string, unknown>, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected'] as const) {
    const s = volume[source];
    if (!isObject(s)) continue;
    causes.push(...fileModeErrors(s.defaultMode, `${field}.${source}.defaultMode`));
    causes.push(...itemModes(s.items, `${field}.${source}.items`));
  }
  const projected = volume.projected;
  if (isObject(projected) && Array.isArray(projected.sources)) {
    projected.sources.forEach((src, i) => {
      if (!isObject(src)) return;
      for (const kind of ['secret', 'configMap', 'downwardAPI'] as const) {
        const s = src[kind];
        if (isObject(s)) causes.push(...itemModes(s.items, `${field}.projected.sources[${i}].${kind}.items`));
      }
    });
  }
  return causes;
}

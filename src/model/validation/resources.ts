/** Validation of container resource requirements: quantities parse, are >= 0, and requests <= limits. */
import type { core, StatusCause } from '../types.js';
import { parseQuantity, type Quantity } from '../quantity.js';
import { invalid } from './field-errors.js';
import { isObject } from './common.js';

function parseAt(value: unknown, field: string, causes: StatusCause[]): Quantity | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    causes.push(invalid(field, value, 'must be a quantity'));
    return undefined;
  }
  try {
    const q = parseQuantity(String(value));
    if (q.milliValue() < 0) {
      causes.push(invalid(field, value, 'must be greater than or equal to 0'));
      return undefined;
    }
    return q;
  } catch {
    causes.push(invalid(field, value, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    return undefined;
  }
}

/** Checks `resources` of a container at `field` (e.g. `spec.containers[0].resources`). */
export function validateResources(resources: core.ResourceRequirements | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (resources === undefined || resources === null) return causes;
  if (!isObject(resources)) return [invalid(field, resources, 'must be an object')];
  const limits = new Map<string, Quantity>();
  if (resources.limits !== undefined) {
    if (!isObject(resources.limits)) causes.push(invalid(`${field}.limits`, resources.limits, 'must be an object'));
    else
      for (const [name, v] of Object.entries(resources.limits)) {
        const q = parseAt(v, `${field}.limits[${name}]`, causes);
        if (q) limits.set(name, q);
      }
  }
  if (resources.requests !== undefined) {
    if (!isObject(resources.requests)) causes.push(invalid(`${field}.requests`, resources.requests, 'must be an object'));
    else
      for (const [name, v] of Object.entries(resources.requests)) {
        const q = parseAt(v, `${field}.requests[${name}]`, causes);
        const limit = limits.get(name);
        if (q && limit && q.milliValue() > limit.milliValue()) {
          causes.push(
            invalid(
              `${field}.requests[${name}]`,
              String(v),
              `must be less than or equal to ${name} limit of ${String(resources.limits?.[name])}`,
            ),
          );
        }
      }
  }
  return causes;
}

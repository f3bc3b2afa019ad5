/**
 * The mock's image catalogue: how each fake image behaves and which images are present.
 */
import { TugboatError, fieldError } from '../../model/errors.js';
import { ImagePullError, type ImageInfo, type PullPolicy } from '../types.js';
import type { MockImageBehavior } from './types.js';

const DEFAULT_BEHAVIOR: MockImageBehavior = Object.freeze({});

/** Throws a TugboatError naming the field when a behaviour is malformed. */
function validateBehavior(ref: string, b: MockImageBehavior): void {
  const causes: { field: string; message: string }[] = [];
  if (typeof ref !== 'string' || ref.length === 0) causes.push({ field: 'ref', message: 'must be a non-empty string' });
  for (const field of ['startupMs', 'readyAfterMs', 'exitAfterMs', 'stopMs'] as const) {
    const v = b[field];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      causes.push({ field, message: 'must be a finite number >= 0' });
    }
  }
  for (const field of ['exitCode', 'termExitCode'] as const) {
    const v = b[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 255)) {
      causes.push({ field, message: 'must be an integer from 0 to 255' });
    }
  }
  if (b.logs !== undefined && !(Array.isArray(b.logs) && b.logs.every((l) => typeof l === 'string'))) {
    causes.push({ field: 'logs', message: 'must be an array of strings' });
  }
  for (const field of ['exec', 'interactive', 'attach'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'function') causes.push({ field, message: 'must be a function' });
  }
  if (causes.length > 0)
    throw TugboatError.invalid(
      { kind: 'mockimages' },
      String(ref),
      causes.map((c) => fieldError(c.field, c.message)),
    );
}

/** A stable fake digest for an image ref. */
function digestOf(ref: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ref.length; i++) h = Math.imul(h ^ ref.charCodeAt(i), 0x01000193) >>> 0;
  return `sha256:${h.toString(16).padStart(8, '0').repeat(8)}`;
}

/** MockImages knows each fake image's behaviour and which images have been pulled. */
export class MockImages {
  private readonly behaviors = new Map<string, MockImageBehavior>();
  private readonly present = new Set<string>();

  constructor(private readonly strict: boolean) {}

  /** Sets how `ref` behaves (replacing an earlier definition). */
  define(ref: string, behavior: MockImageBehavior): void {
    validateBehavior(ref, behavior);
    this.behaviors.set(ref, { ...behavior });
    if (behavior.preloaded) this.present.add(ref);
  }

  /** The behaviour of `ref`: its definition, or the default (runs forever, ready at once). */
  behavior(ref: string): MockImageBehavior {
    return this.behaviors.get(ref) ?? DEFAULT_BEHAVIOR;
  }

  info(ref: string): ImageInfo {
    return { ref, id: digestOf(ref) };
  }

  /** Whether ensureImage must pull: throws for policy Never on an absent image. */
  needsPull(ref: string, policy: PullPolicy): boolean {
    const here = this.present.has(ref);
    if (policy === 'Never') {
      if (!here) {
        throw new ImagePullError(ref, `Container image "${ref}" is not present with pull policy of Never`, 'ErrImageNeverPull');
      }
      return false;
    }
    return policy === 'Always' || !here;
  }

  /** Completes a pull: throws ImagePullError when the image cannot be had. */
  pull(ref: string): ImageInfo {
    const b = this.behaviors.get(ref);
    if (b?.pullError !== undefined) throw new ImagePullError(ref, `failed to pull image "${ref}": ${b.pullError}`);
    if (!b && this.strict) throw new ImagePullError(ref, `failed to pull image "${ref}": not found`);
    this.present.add(ref);
    return this.info(ref);
  }
}

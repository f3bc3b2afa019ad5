/**
 * Well-known names Kubernetes gives meaning to: finalizers, annotations and labels that several
 * parts of tugboat read or write. One definition each.
 */

/** Finalizer that holds an owner until its blocking dependents are gone (Foreground deletion). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer that makes the garbage collector orphan dependents (Orphan deletion). */
export const ORPHAN_FINALIZER = 'orphan';
/** The namespace finalizer in spec.finalizers, removed once a namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

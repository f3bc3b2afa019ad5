/**
 * Which Ingresses an adapter serves: those of its IngressClass (by spec.ingressClassName, or the
 * deprecated `kubernetes.io/ingress.class` annotation), and those naming no class when its class
 * is the default one (`ingressclass.kubernetes.io/is-default-class: "true"`; with several
 * defaults, the newest, as Kubernetes' DefaultIngressClass admission picks).
 */
import type { Ingress, IngressClass } from '../../model/types.js';

/** Marks the IngressClass used by Ingresses that name none. */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** The deprecated way an Ingress names its class. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The IngressClass named `className` when its spec.controller is `controller`. */
export function adapterClass(classes: readonly IngressClass[], className: string, controller: string): IngressClass | undefined {
  return classes.find((c) => c.metadata.name === className && c.spec?.controller === controller && !c.metadata.deletionTimestamp);
}

/** The default IngressClass's name, if any (the newest of several). */
export function defaultClassName(classes: readonly IngressClass[]): string | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => compareCreation(b, a));
  return defaults[0]?.metadata.name;
}

/** The class an Ingress belongs to: its own, else the default class. */
export function classOfIngress(ing: Ingress, classes: readonly IngressClass[]): string | undefined {
  return ing.spec?.ingressClassName ?? ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] ?? defaultClassName(classes);
}

/** Older first (creationTimestamp, then namespace/name): the order conflicts are settled in. */
export function compareCreation(
  a: { metadata: { creationTimestamp?: string; namespace?: string; name?: string } },
  b: { metadata: { creationTimestamp?: string; namespace?: string; name?: string } },
): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

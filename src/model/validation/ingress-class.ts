/** Validation of IngressClasses: spec.controller (immutable) and spec.parameters, as Kubernetes 1.30. */
import type { networking, StatusCause } from '../types.js';
import { dns1123SubdomainErrors } from '../names.js';
import { invalid, notSupported, required } from './field-errors.js';
import { isObject } from './common.js';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

/** Checks an IngressClass's spec: a domain-prefixed controller of at most 250 characters, and its parameters. */
export function validateIngressClass(ic: { spec?: networking.IngressClassSpec }): StatusCause[] {
  const spec = ic.spec ?? {};
  if (!isObject(spec)) return [invalid('spec', spec, 'must be an object')];
  const causes: StatusCause[] = [];
  const controller = spec.controller;
  if (!controller) causes.push(required('spec.controller'));
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH)
      causes.push(invalid('spec.controller', controller, `must be no more than ${MAX_CONTROLLER_LENGTH} characters`));
    const slash = controller.indexOf('/');
    const domain = slash < 0 ? '' : controller.slice(0, slash);
    if (slash <= 0 || slash === controller.length - 1 || dns1123SubdomainErrors(domain).length > 0)
      causes.push(invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  }
  const p = spec.parameters;
  if (p !== undefined) {
    if (!p.kind) causes.push(required('spec.parameters.kind'));
    else if (p.kind.includes('/') || p.kind.includes('%'))
      causes.push(invalid('spec.parameters.kind', p.kind, 'may not contain "/" or "%"'));
    if (!p.name) causes.push(required('spec.parameters.name'));
    if (p.apiGroup) causes.push(...dns1123SubdomainErrors(p.apiGroup).map((m) => invalid('spec.parameters.apiGroup', p.apiGroup, m)));
    const scope = p.scope ?? 'Cluster';
    if (!SCOPES.includes(scope)) causes.push(notSupported('spec.parameters.scope', scope, SCOPES));
    else if (scope === 'Namespace' && !p.namespace)
      causes.push(required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
    else if (scope === 'Cluster' && p.namespace)
      causes.push(invalid('spec.parameters.namespace', p.namespace, '`parameters.scope` is set to "Cluster"'));
  }
  return causes;
}

/** spec.controller of an IngressClass may not change. */
export function validateIngressClassUpdate(
  ic: { spec?: networking.IngressClassSpec },
  old: { spec?: networking.IngressClassSpec },
): StatusCause[] {
  if (ic.spec?.controller === old.spec?.controller) return [];
  return [invalid('spec.controller', ic.spec?.controller, 'field is immutable')];
}

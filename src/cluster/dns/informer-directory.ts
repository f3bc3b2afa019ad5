/** The {@link ServiceDirectory} of a cluster: its Service and EndpointSlice informer caches. */
import type { EndpointSlice, Service } from '../../model/types.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { Informer } from '../../client/informer.js';
import { kinds } from '../../client/kinds.js';
import type { ServiceDirectory } from './cluster-names.js';

const BY_SERVICE = 'dns.service-name';

/** `namespace/service` of a slice, from its `kubernetes.io/service-name` label. */
const serviceOfSlice = (s: EndpointSlice): string[] => {
  const svc = s.metadata.labels?.['kubernetes.io/service-name'];
  return svc ? [`${s.metadata.namespace ?? 'default'}/${svc}`] : [];
};

/** Starts (or shares) the Service and EndpointSlice informers and reads them. @internal */
export async function informerDirectory(informers: InformerFactory): Promise<ServiceDirectory> {
  const services: Informer<Service> = await informers.start(kinds.Service);
  const slices: Informer<EndpointSlice> = informers.informer(kinds.EndpointSlice);
  slices.addIndex(BY_SERVICE, serviceOfSlice);
  await informers.start(kinds.EndpointSlice);
  return {
    service: (ns, name) => services.get(ns, name),
    slices: (ns, svc) => slices.byIndex(BY_SERVICE, `${ns}/${svc}`),
    hasNamespace: (ns) => services.list({ namespace: ns }).length > 0,
  };
}

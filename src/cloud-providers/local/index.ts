/** The local cloud provider and its parts. */
export { LocalCloudProvider, type LocalCloudProviderOptions } from './provider.js';
export { LocalLoadBalancers, type LocalLoadBalancersOptions } from './load-balancers.js';
export { TcpBalancer, type Backend } from './tcp-balancer.js';
export {
  AddressPool,
  AddressRangeExhaustedError,
  DEFAULT_LOAD_BALANCER_RANGE,
  DEFAULT_RESERVATION_PORT,
  type AddressLease,
} from './address-pool.js';
export { LocalNodeGroups, NODE_GROUP_LABEL, type LocalNodeGroupSpec } from './node-groups.js';
export { LocalVolumes, LOCAL_PROVISIONER, type LocalVolumesOptions } from './local-volumes.js';

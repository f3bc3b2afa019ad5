import { ProxyIngress } from '../../src/index.js';
import { runIngressAdapterConformance } from './ingress-adapter.cases.js';

runIngressAdapterConformance({ name: 'proxy', make: (className) => new ProxyIngress({ className, host: '127.0.0.1', port: 0 }) });

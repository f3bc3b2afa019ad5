import { NginxIngress } from '../../src/nginx.js';
import { runIngressAdapterConformance } from './ingress-adapter.cases.js';

runIngressAdapterConformance({ name: 'nginx', make: (className) => new NginxIngress({ className, host: '127.0.0.1', port: 0 }) });

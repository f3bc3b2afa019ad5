import { describe, expect, it } from 'vitest';
import { NginxIngress } from '../../src/nginx.js';
import { runIngressAdapterConformance } from './ingress-adapter.cases.js';

runIngressAdapterConformance({ name: 'nginx', make: (className) => new NginxIngress({ className, host: '127.0.0.1', port: 0 }) });

describe('NginxIngress.available', () => {
  it('is true for the installed nginx and false for a binary that does not exist', async () => {
    expect(await NginxIngress.available()).toBe(true);
    expect(await NginxIngress.available('/nonexistent/nginx')).toBe(false);
  });
});

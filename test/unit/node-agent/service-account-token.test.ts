/**
 * The projected API access volume on a node: the agent writes a token bound to the pod (from
 * serviceaccounts/token), the namespace and kube-root-ca.crt's ca.crt, and requests a new token
 * once 80% of the asked lifetime has passed (as the kubelet's token manager), rewriting the file
 * in place. A token that cannot be had keeps the container waiting with the kubelet's message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJwt } from '../../../src/api/service-account-tokens/jwt.js';
import { startHarness, stateOf, type Harness } from './harness.js';

const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const claims = (token: string | undefined) => decodeJwt(token ?? '')?.payload as Record<string, any> | undefined;

describe('service-account token volumes', () => {
  it('writes a token bound to the pod, the namespace and the CA bundle, and refreshes the token at 80% of its life', async () => {
    h = await startHarness();
    const pod = await h.run('app', { containers: [{ name: 'c', image: 'web:1' }] });
    await h.cluster.settled();
    expect(stateOf((await h.pod('app')).status?.containerStatuses?.[0])).toBe('running');
    const read = (p: string) => h!.runtime.readFile({ namespace: 'default', pod: 'app' }, `${DIR}/${p}`);
    expect(read('namespace')).toBe('default');
    expect(read('ca.crt')).toBe(''); // the cluster serves no HTTPS yet
    const first = read('token');
    expect(claims(first)).toMatchObject({
      sub: 'system:serviceaccount:default:default',
      'kubernetes.io': { namespace: 'default', pod: { name: 'app', uid: pod.metadata.uid }, node: { name: 'node-a' } },
    });
    // 3607 s asked: refreshed once 2885.6 s have passed (the resync runs every 60 s).
    await h.tick(2820_000, 60_000);
    expect(read('token')).toBe(first);
    await h.tick(120_000, 60_000);
    const second = read('token');
    expect(second).not.toBe(first);
    expect(claims(second)?.iat).toBeGreaterThan(claims(first)!.iat + 2880);
    // Rewritten in place: the same container.
    expect((await h.pod('app')).status?.containerStatuses?.[0].restartCount).toBe(0);
  });

  it('keeps the container waiting with FailedMount while no token can be had', async () => {
    h = await startHarness();
    const accounts = h.cluster.client('v1', 'ServiceAccount', 'default');
    await h.cluster.settled();
    // A pod whose ServiceAccount is gone by the time the node runs it.
    await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'brief' } });
    const pods = h.cluster.pods();
    await pods.create({ metadata: { name: 'orphan' }, spec: { serviceAccountName: 'brief', containers: [{ name: 'c', image: 'web:1' }] } });
    await accounts.delete('brief');
    await h.cluster.context.bindPod({ namespace: 'default', name: 'orphan', nodeName: 'node-a' });
    await h.cluster.settled();
    const status = (await h.pod('orphan')).status?.containerStatuses?.[0];
    expect(stateOf(status)).toBe('waiting:ContainerCreating');
    const events = (await h.cluster.events.list('default')).filter((e) => e.reason === 'FailedMount');
    expect(events[0]?.message).toMatch(
      /^MountVolume\.SetUp failed for volume "kube-api-access-\w{5}" : failed to fetch token: serviceaccounts "brief" not found$/,
    );
  });
});

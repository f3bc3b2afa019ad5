/**
 * Pod addresses of the process runtime. Processes share the host's network, but Linux routes
 * the whole of 127.0.0.0/8 to the loopback interface without any configuration, so each
 * sandbox gets its own loopback address `127.<block>.<x>.<y>`: pods whose processes bind to
 * their `$POD_IP` can all listen on the same port, as pods do in Kubernetes.
 *
 * Pure functions here; leases (what makes an address unique among the live sandboxes of a
 * state directory) are files kept by the RecordStore.
 */

/** How many addresses one block holds: x in 0..255, y in 1..254. */
export const ADDRESSES_PER_BLOCK = 256 * 254;

/** The host's own loopback address: what hostNetwork sandboxes get. */
export const HOST_LOOPBACK = '127.0.0.1';

/**
 * The `index`-th address of a block: 127.block.x.y, y never 0 or 255.
 * @param block the second octet, 1..254
 * @param index 0 .. ADDRESSES_PER_BLOCK - 1
 */
export function loopbackAddress(block: number, index: number): string {
  if (!isBlock(block)) throw new RangeError(`address block must be an integer in 1..254, got ${block}`);
  if (!Number.isInteger(index) || index < 0 || index >= ADDRESSES_PER_BLOCK) {
    throw new RangeError(`address index must be an integer in 0..${ADDRESSES_PER_BLOCK - 1}, got ${index}`);
  }
  return `127.${block}.${Math.floor(index / 254)}.${(index % 254) + 1}`;
}

/** True for a usable block number (the second octet of the pod addresses). */
export function isBlock(block: unknown): block is number {
  return typeof block === 'number' && Number.isInteger(block) && block >= 1 && block <= 254;
}

/**
 * The default block of a state directory: a hash of its path into 1..254, so that runtimes over
 * different state directories (two clusters, parallel tests) rarely share addresses.
 */
export function addressBlockFor(key: string): number {
  let h = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 254) + 1;
}

/**
 * The addresses of a block in allocation order, skipping those in `taken`: the caller leases
 * the first one it can.
 */
export function* freeAddresses(block: number, taken: ReadonlySet<string>): Generator<string> {
  for (let i = 0; i < ADDRESSES_PER_BLOCK; i++) {
    const ip = loopbackAddress(block, i);
    if (!taken.has(ip)) yield ip;
  }
}

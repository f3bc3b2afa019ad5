/**
 * Upgrades (WebSocket) through the proxy: undici's `upgrade` opens the backend's side, the 101
 * answer is relayed to the client, then bytes flow both ways until either side closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Pool } from 'undici';

/** Relays an upgrade request to the backend and splices the two connections. */
export async function proxyUpgrade(
  pool: Pool,
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  path: string,
  headers: string[],
): Promise<void> {
  const upgrade = String(req.headers.upgrade ?? 'websocket');
  const { headers: answer, socket: backend } = await pool.upgrade({ path, method: 'GET', headers, protocol: upgrade });
  if (client.destroyed) return void backend.destroy();
  let text = 'HTTP/1.1 101 Switching Protocols\r\n';
  for (const [name, value] of Object.entries(answer)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) text += `${name}: ${v}\r\n`;
  }
  client.write(`${text}\r\n`);
  if (head.length > 0) backend.write(head);
  backend.on('error', () => client.destroy());
  client.on('error', () => backend.destroy());
  backend.on('close', () => client.destroy());
  client.on('close', () => backend.destroy());
  backend.pipe(client);
  client.pipe(backend);
}

/** A tiny masked WebSocket client for Node tests (Node 20 has no global WebSocket). */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { SocketLike } from '../../core/api/ws-client.ts';

export interface NodeWs extends SocketLike {
  readonly socket: Socket;
  sendRaw(opcode: number, payload: Uint8Array): void;
  closed: Promise<number | null>;
}

/** Connect; rejects with the HTTP status when the upgrade is refused. */
export function connectWs(url: string, headers: Record<string, string> = {}): Promise<NodeWs> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers } });
    req.on('response', (res) => reject(new Error(`HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (_res, socket: Socket) => {
      let buf = Buffer.alloc(0);
      let closeCode: (c: number | null) => void = () => {};
      const closed = new Promise<number | null>((r) => { closeCode = r; });
      const frame = (opcode: number, payload: Uint8Array) => {
        const mask = randomBytes(4);
        const len = payload.length;
        const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255]) : (() => { const h = Buffer.alloc(10); h[0] = 0x80 | opcode; h[1] = 0x80 | 127; h.writeBigUInt64BE(BigInt(len), 2); return h; })();
        const body = Buffer.from(payload);
        for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
        socket.write(Buffer.concat([head, mask, body]));
      };
      const ws: NodeWs = {
        socket, binaryType: 'arraybuffer', onmessage: null, onclose: null, closed,
        send: (d) => frame(2, d),
        sendRaw: frame,
      };
      socket.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        for (;;) {
          if (buf.length < 2) return;
          const op = buf[0] & 15;
          let len = buf[1] & 127, off = 2;
          if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
          else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
          if (buf.length < off + len) return;
          const p = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (op === 8) { closeCode(p.length >= 2 ? p.readUInt16BE(0) : null); continue; }
          const ab = p.buffer.slice(p.byteOffset, p.byteOffset + p.length);
          ws.onmessage?.({ data: ab });
        }
      });
      socket.on('close', () => { closeCode(null); ws.onclose?.({}); });
      resolve(ws);
    });
    req.end();
  });
}

/**
 * A minimal server-side WebSocket (RFC 6455) over a node:http upgrade:
 * handshake (section 4.2.2: Sec-WebSocket-Accept = base64(SHA-1(key + GUID))),
 * masked client frames, fragmentation, ping/pong, close. Messages are
 * limited in size; anything unexpected closes the connection.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 64 * 1024 * 1024;

export interface WebSocketConnection {
  send(data: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  onMessage(fn: (data: Uint8Array, binary: boolean) => void): void;
  onClose(fn: () => void): void;
}

/** Complete the handshake; undefined (and a 400 written) when the request is not a valid upgrade. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): WebSocketConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  if (req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  return new Connection(socket);
}

class Connection implements WebSocketConnection {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;
  private readonly messageFns: Array<(d: Uint8Array, binary: boolean) => void> = [];
  private readonly closeFns: Array<() => void> = [];

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  onMessage(fn: (data: Uint8Array, binary: boolean) => void): void { this.messageFns.push(fn); }
  onClose(fn: () => void): void { this.closeFns.push(fn); }

  send(data: Uint8Array | string): void {
    if (this.closed) return;
    const binary = typeof data !== 'string';
    const payload = binary ? data : Buffer.from(data, 'utf8');
    this.socket.write(frameHeader(binary ? 2 : 1, payload.length));
    this.socket.write(payload);
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const r = Buffer.from(reason.slice(0, 120), 'utf8');
    const p = Buffer.alloc(2 + r.length);
    p.writeUInt16BE(code, 0);
    r.copy(p, 2);
    this.socket.write(Buffer.concat([frameHeader(8, p.length), p]));
    this.socket.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.closeFns) f();
  }

  private receive(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0], b1 = this.buf[1];
      const fin = (b0 & 0x80) !== 0, opcode = b0 & 0x0f, masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f, off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        const big = this.buf.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE)) return this.close(1009, 'message too big');
        len = Number(big);
        off = 10;
      }
      // Clients must mask (RFC 6455 section 5.1).
      if (!masked) return this.close(1002, 'unmasked client frame');
      if (len > MAX_MESSAGE) return this.close(1009, 'message too big');
      if (this.buf.length < off + 4 + len) return;
      const mask = this.buf.subarray(off, off + 4);
      const payload = Buffer.from(this.buf.subarray(off + 4, off + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      this.buf = this.buf.subarray(off + 4 + len);
      this.frame(fin, opcode, payload);
      if (this.closed) return;
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === 8) return this.close(1000);
    if (opcode === 9) {
      this.socket.write(Buffer.concat([frameHeader(10, payload.length), payload]));
      return;
    }
    if (opcode === 10) return;
    if (opcode === 0) {
      if (!this.fragmentOpcode) return this.close(1002, 'unexpected continuation');
      this.fragments.push(payload);
    } else if (opcode === 1 || opcode === 2) {
      if (this.fragmentOpcode) return this.close(1002, 'interleaved message');
      this.fragmentOpcode = opcode;
      this.fragments = [payload];
    } else return this.close(1002, `unknown opcode ${opcode}`);
    const total = this.fragments.reduce((s, f) => s + f.length, 0);
    if (total > MAX_MESSAGE) return this.close(1009, 'message too big');
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
    const binary = this.fragmentOpcode === 2;
    this.fragments = [];
    this.fragmentOpcode = 0;
    for (const f of this.messageFns) f(new Uint8Array(data.buffer, data.byteOffset, data.length), binary);
  }
}

function frameHeader(opcode: number, len: number): Buffer {
  if (len < 126) return Buffer.from([0x80 | opcode, len]);
  if (len < 65536) {
    const h = Buffer.alloc(4);
    h[0] = 0x80 | opcode;
    h[1] = 126;
    h.writeUInt16BE(len, 2);
    return h;
  }
  const h = Buffer.alloc(10);
  h[0] = 0x80 | opcode;
  h[1] = 127;
  h.writeBigUInt64BE(BigInt(len), 2);
  return h;
}

// The continuation token of the log endpoint: where the next read of one attempt's log starts, signed so that a
// client can only hand back what the server gave it (Airflow signs its reader metadata with itsdangerous; a bad
// signature is 400). The key is derived from the install's JWT secret, so a log token is never a valid JWT key.
import crypto from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { LogKey } from '../../../../engine/service/task-logs.js';

interface Payload {
  d: string;
  r: string;
  t: string;
  m: number;
  n: number;
  /** Byte offset of the next read. */
  o: number;
}

const BAD = 'Bad Signature. Please use only the tokens provided by the API.';

export class LogTokens {
  private readonly key: Buffer;

  constructor(secret: Uint8Array) {
    this.key = crypto.createHmac('sha256', secret).update('windsock log continuation token v1').digest();
  }

  private sign(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }

  issue(k: LogKey, offset: number): string {
    const p: Payload = { d: k.dagId, r: k.runId, t: k.taskId, m: k.mapIndex, n: k.tryNumber, o: offset };
    const body = Buffer.from(JSON.stringify(p)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The offset a token carries; 400 when it was not signed here or belongs to another attempt's log. */
  offset(token: string, k: LogKey): number {
    const [body, sig, ...rest] = token.split('.');
    if (!body || !sig || rest.length) throw new ApiError(400, `${BAD} (the token is malformed)`);
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new ApiError(400, BAD);
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    if (p.d !== k.dagId || p.r !== k.runId || p.t !== k.taskId || p.m !== k.mapIndex || p.n !== k.tryNumber) {
      throw new ApiError(400, `${BAD} (the token was given for another task instance or try)`);
    }
    if (!Number.isSafeInteger(p.o) || p.o < 0) throw new ApiError(400, BAD);
    return p.o;
  }
}

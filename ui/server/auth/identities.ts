// Bearer callers remembered while the state database stands still (state-version.ts), so that a request with a
// known token costs no lookup of its user or of the revoked tokens. Anything that could change the answer moves the
// version first: a logout (revoke), a user deleted or given another role, by this server or by `dag users` in another
// process. Expiry is checked on every hit. HTTP Basic callers are not kept: their header carries the password.
import type { Caller } from './middleware.js';
import type { Tokens } from './tokens.js';

/** The active sessions of a busy install, and a bound. */
const MAX_ENTRIES = 1000;

export class Identities {
  private readonly entries = new Map<string, { version: string; caller: Caller }>();

  constructor(private readonly tokens: Tokens) {}

  get(header: string, version: string): Caller | undefined {
    const e = this.entries.get(header);
    return e && e.version === version && e.caller.claims && this.tokens.unexpired(e.caller.claims) ? e.caller : undefined;
  }

  /** Remember a caller identified by a token at `version` (read before identifying it). */
  set(header: string, version: string, caller: Caller): void {
    if (!caller.claims) return;
    this.entries.delete(header);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(header, { version, caller });
  }
}

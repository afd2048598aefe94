// Errors the service layer raises that each front door words its own way: the CLI prints the message and exits 2,
// the web server answers 404 / 409 / 400 with it as the `detail`. They keep the name UserError, which is how the
// CLI tells an error a user caused from a bug.
import { UserError } from '../types.js';

/** What was asked for does not exist (HTTP 404). */
export class NotFoundError extends UserError {
}

/** It clashes with what exists: a duplicate, or a state that does not allow it (HTTP 409). */
export class ConflictError extends UserError {
}

// Errors of the service layer that a front door must tell apart: the CLI prints any of them as one line (they are
// UserErrors, and keep that name); the REST API answers 404 for NotFound, 409 for Conflict, 400 for other UserErrors.
import { UserError } from '../types.js';

export class NotFoundError extends UserError {}

export class ConflictError extends UserError {}

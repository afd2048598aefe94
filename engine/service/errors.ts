// Errors of the service layer that a front door must tell apart: the CLI prints any of them as one line (they are
// UserErrors); the REST API answers 404 for NotFound, 409 for Conflict and 400 for any other UserError.
import { UserError } from '../types.js';

export class NotFoundError extends UserError {
  override name = 'NotFoundError';
}

export class ConflictError extends UserError {
  override name = 'ConflictError';
}

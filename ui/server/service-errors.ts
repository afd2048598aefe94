// The service layer's errors as HTTP answers: not found 404, a clash 409, any other mistake of the caller's 400,
// each with the service's one-line message as the `detail` (never a stack, SQL or path).
import { UserError } from '../../engine/types.js';
import { ConflictError, NotFoundError } from '../../engine/service/errors.js';
import { ApiError } from './errors.js';

export function asApiError(err: unknown): unknown {
  if (err instanceof NotFoundError) return new ApiError(404, err.message);
  if (err instanceof ConflictError) return new ApiError(409, err.message);
  if (err instanceof UserError) return new ApiError(400, err.message);
  return err;
}

/** Run a service call, turning what it refuses into the HTTP error that says so. */
export function service<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asApiError(err);
  }
}

// Errors of the OpenAQ client. `fatal` ones will not get better by trying again (a bad key, a retired API version,
// a request the API rejects); the others mean the API stayed unavailable longer than the retries allowed.
export type OpenAQErrorKind = 'auth' | 'gone' | 'invalid' | 'not_found' | 'http' | 'shape' | 'unavailable';

export class OpenAQError extends Error {
  constructor(
    readonly kind: OpenAQErrorKind,
    message: string,
    /** The request URL, never with the key (which travels in a header). */
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OpenAQError';
  }

  get fatal(): boolean {
    return this.kind !== 'unavailable';
  }
}

/** The error for a non-retryable status, with the API's own words where it gives some. */
export function statusError(status: number, url: string, body: string, hasKey: boolean): OpenAQError {
  if (status === 401 || status === 403) {
    const msg = hasKey
      ? `OPENAQ_API_KEY was rejected by ${url} (${status}): check the key`
      : `${url} requires an API key (${status}): set OPENAQ_API_KEY (get one at https://explore.openaq.org/register)`;
    return new OpenAQError('auth', msg, url, status);
  }
  if (status === 410) {
    return new OpenAQError('gone', `${url} answered 410 Gone: OpenAQ API v1 and v2 are retired; use the v3 endpoints (/v3/...)`, url, status);
  }
  if (status === 422) {
    return new OpenAQError('invalid', `OpenAQ rejected ${url} (422): ${apiDetail(body)}`, url, status);
  }
  if (status === 404) {
    return new OpenAQError('not_found', `OpenAQ has no ${url} (404): ${apiDetail(body)}`, url, status);
  }
  return new OpenAQError('http', `OpenAQ answered ${status} to ${url}: ${apiDetail(body)}`, url, status);
}

/** FastAPI's `detail` (a string, or a list of {loc, msg}), the WAF's `message`, or the body itself, on one line. */
export function apiDetail(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return oneLine(body) || '(empty body)';
  }
  if (typeof parsed === 'string') return oneLine(parsed);
  if (parsed && typeof parsed === 'object') {
    const { detail, message } = parsed as { detail?: unknown; message?: unknown };
    if (typeof detail === 'string') return oneLine(detail);
    if (Array.isArray(detail)) {
      return detail
        .map((d) => {
          const { loc, msg } = (d ?? {}) as { loc?: unknown; msg?: unknown };
          const where = Array.isArray(loc) ? loc.filter((p) => p !== 'query').join('.') : '';
          return `${where ? where + ': ' : ''}${String(msg ?? JSON.stringify(d))}`;
        })
        .join('; ');
    }
    if (typeof message === 'string') return oneLine(message);
  }
  return oneLine(body);
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? flat.slice(0, 300) + '...' : flat;
}

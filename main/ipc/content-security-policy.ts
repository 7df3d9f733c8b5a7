/**
 * The renderer's Content-Security-Policy: only its own scripts and styles, no inline script, no
 * remote content of any kind. Electron sets it on every response; the test bridge sends the
 * same header, so browser tests run under the same policy.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

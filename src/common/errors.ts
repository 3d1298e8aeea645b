/**
 * Errors a use case raises; the API maps `status` and `detail` to RomM's `{"detail": ...}` body.
 * Services stay free of HTTP, but the status is the one RomM answers for the same failure.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    /** RomM answers a few errors with an object as `detail` (e.g. a device that already exists); it replaces the text. */
    readonly detailObject?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const badRequest = (detail: string) => new AppError(400, detail);
export const unauthorized = (detail = 'Not authenticated') =>
  new AppError(401, detail, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail = 'Forbidden') => new AppError(403, detail);
export const notFound = (detail: string) => new AppError(404, detail);
export const conflict = (detail: string) => new AppError(409, detail);
export const unprocessable = (detail: string) => new AppError(422, detail);

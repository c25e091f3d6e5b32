import { ApiError } from '../../../contract/errors.js';

export { ApiError };

export function apiError(code: string, message: string, hint?: string, step?: string): ApiError {
  return new ApiError({ code, message, hint, step });
}

/** Keeps an ApiError as it is; wraps anything else, naming the step. */
export function asApiError(error: unknown, fallback: { code: string; hint?: string; step?: string }): ApiError {
  if (error instanceof ApiError) {
    if (fallback.step && !error.step) return new ApiError({ ...error.toShape(), step: fallback.step });
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: fallback.code, message, hint: fallback.hint, step: fallback.step });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

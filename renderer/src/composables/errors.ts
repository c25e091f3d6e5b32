import { ApiError } from '../../../contract/index.js';

/** What a view shows when something fails: a sentence, and what to do about it. */
export interface UiError {
  message: string;
  hint?: string;
  code?: string;
  step?: string;
}

export function toUiError(failure: unknown): UiError {
  if (failure instanceof ApiError) return { message: failure.message, hint: failure.hint, code: failure.code, step: failure.step };
  if (failure && typeof failure === 'object' && 'message' in failure) {
    const shape = failure as { message: unknown; hint?: unknown; code?: unknown };
    return { message: String(shape.message), hint: typeof shape.hint === 'string' ? shape.hint : undefined, code: typeof shape.code === 'string' ? shape.code : undefined };
  }
  return { message: String(failure) };
}

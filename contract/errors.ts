import { z } from 'zod';

/** Every failure crosses the boundary as data: a machine code, a sentence for people, and what to do. */
export const ApiErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  step: z.string().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

export class ApiError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly step?: string;

  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.hint = shape.hint;
    this.step = shape.step;
  }

  toShape(): ApiErrorShape {
    return { code: this.code, message: this.message, hint: this.hint, step: this.step };
  }
}

/** What a request returns on the wire (IPC or WebSocket). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

import { randomUUID } from 'node:crypto';
import type { PipelineRun, PipelineStep } from '../../../contract/domains/provisioning.js';
import { ApiError, asApiError } from '../common/errors.js';

export interface StepContext {
  readonly signal: AbortSignal;
  /** Updates the step's detail and byte progress (events are throttled). */
  progress(detail?: string, bytes?: { done: number; total: number }): void;
  /** Throws if the run was cancelled. */
  checkCancelled(): void;
}

export type StepOutcome = void | { skipped: true; detail: string } | { detail: string };

export interface StepDef<S> {
  id: string;
  label: string;
  /** What to tell the user when this step fails and the error carries no hint. */
  hint?: string;
  run(ctx: StepContext, state: S): Promise<StepOutcome>;
}

export interface RunHandle {
  readonly run: PipelineRun;
  readonly done: Promise<PipelineRun>;
  cancel(): void;
}

/**
 * Runs named steps in order with progress events. A failed step names itself, carries the error
 * (code, the device's message, a hint) and stops the run; cancel() aborts the running step.
 */
export function startPipeline<S>(options: { serial: string; steps: StepDef<S>[]; state: S; emit(run: PipelineRun): void; throttleMs?: number; payload?: () => string | undefined }): RunHandle {
  const controller = new AbortController();
  const steps: PipelineStep[] = options.steps.map((step) => ({ id: step.id, label: step.label, state: 'pending' }));
  const run: PipelineRun = { runId: randomUUID(), serial: options.serial, state: 'running', steps };
  const snapshot = (): PipelineRun => ({ ...run, payload: options.payload?.(), steps: run.steps.map((step) => ({ ...step })) });
  let lastEmit = 0;
  let pendingEmit: NodeJS.Timeout | undefined;
  const emitNow = () => {
    clearTimeout(pendingEmit);
    pendingEmit = undefined;
    lastEmit = Date.now();
    options.emit(snapshot());
  };
  const emitThrottled = () => {
    const wait = (options.throttleMs ?? 100) - (Date.now() - lastEmit);
    if (wait <= 0) emitNow();
    else pendingEmit ??= setTimeout(emitNow, wait);
  };

  const cancelledError = (step: string) => new ApiError({ code: 'cancelled', message: 'Provisioning was cancelled', hint: 'Run it again when ready: re-running is safe.', step });

  const done = (async () => {
    await Promise.resolve(); // the caller gets the run (all steps pending) before the first step starts
    emitNow();
    for (let i = 0; i < options.steps.length; i++) {
      const def = options.steps[i];
      const step = steps[i];
      if (controller.signal.aborted) break;
      step.state = 'running';
      emitNow();
      const ctx: StepContext = {
        signal: controller.signal,
        progress(detail, bytes) {
          if (detail !== undefined) step.detail = detail;
          if (bytes) step.bytes = bytes;
          emitThrottled();
        },
        checkCancelled() {
          if (controller.signal.aborted) throw cancelledError(def.id);
        },
      };
      try {
        const outcome = await def.run(ctx, options.state);
        if (controller.signal.aborted) throw cancelledError(def.id);
        if (outcome && 'skipped' in outcome) {
          step.state = 'skipped';
          step.detail = outcome.detail;
        } else {
          step.state = 'done';
          if (outcome) step.detail = outcome.detail;
        }
        emitNow();
      } catch (error) {
        const apiErr = controller.signal.aborted ? cancelledError(def.id) : asApiError(error, { code: 'step-failed', hint: def.hint, step: def.id });
        const shape = apiErr.toShape();
        if (!shape.hint && def.hint) shape.hint = def.hint;
        if (!shape.step) shape.step = def.id;
        step.state = apiErr.code === 'cancelled' ? 'cancelled' : 'failed';
        step.error = shape;
        run.state = apiErr.code === 'cancelled' ? 'cancelled' : 'failed';
        emitNow();
        return snapshot();
      }
    }
    if (controller.signal.aborted) {
      run.state = 'cancelled';
      for (const step of steps) if (step.state === 'pending') step.state = 'cancelled';
    } else run.state = 'succeeded';
    emitNow();
    return snapshot();
  })();

  return {
    run: snapshot(),
    done,
    cancel: () => controller.abort(),
  };
}

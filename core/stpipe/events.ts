/**
 * The runner's structured event stream (for the UI and provenance) and
 * stpipe-style log lines: `2026-11-21 01:02:03,456 - stpipe.Detector1Pipeline.jump - INFO - message`.
 */
import type { LogLevel, StepLogger } from './types.ts';

export type StepStatus = 'COMPLETE' | 'SKIPPED' | 'FAILED';

export interface RunStartedEvent { readonly type: 'run-started'; readonly name: string; readonly className: string; readonly input: string; readonly time: number }
export interface ProductStartedEvent { readonly type: 'product-started'; readonly product: string; readonly index: number; readonly total: number }
export interface ProductFinishedEvent { readonly type: 'product-finished'; readonly product: string; readonly status: 'ok' | 'failed'; readonly error?: string }
/** `step` is the alias inside a pipeline ('jump'), the class name when run alone; index/total count the pipeline's steps. */
export interface StepStartedEvent { readonly type: 'step-started'; readonly step: string; readonly index: number; readonly total: number }
export interface ProgressEvent { readonly type: 'progress'; readonly step: string; readonly done: number; readonly total: number; readonly unit?: string }
export interface LogEvent { readonly type: 'log'; readonly level: LogLevel; readonly logger: string; readonly message: string; readonly time: number }
export interface StepFinishedEvent { readonly type: 'step-finished'; readonly step: string; readonly status: StepStatus; readonly durationMs: number; readonly error?: string }
export interface WarningEvent { readonly type: 'warning'; readonly step?: string; readonly message: string }
export interface OutputWrittenEvent { readonly type: 'output-written'; readonly step: string; readonly path: string }
export interface RunFinishedEvent { readonly type: 'run-finished'; readonly status: 'ok' | 'failed' | 'cancelled'; readonly outputs: readonly string[]; readonly durationMs: number; readonly error?: string }

export type RunEvent =
  | RunStartedEvent | ProductStartedEvent | ProductFinishedEvent | StepStartedEvent | ProgressEvent | LogEvent
  | StepFinishedEvent | WarningEvent | OutputWrittenEvent | RunFinishedEvent;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Python logging's default time format: `YYYY-MM-DD HH:MM:SS,mmm` (local time). */
export function formatLogTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/** One stpipe log line (no newline). */
export function formatLogLine(e: Pick<LogEvent, 'level' | 'logger' | 'message' | 'time'>): string {
  return `${formatLogTime(e.time)} - ${e.logger} - ${e.level.toUpperCase()} - ${e.message}`;
}

/** A StepLogger for logger name `stpipe.<pipeline>.<step>` that emits log events (warnings also as warning events). */
export function makeLogger(logger: string, emit: (e: RunEvent) => void, step?: string): StepLogger {
  const log = (level: LogLevel) => (message: string): void => {
    emit({ type: 'log', level, logger, message, time: Date.now() });
    if (level === 'warning') emit({ type: 'warning', step, message });
  };
  return { debug: log('debug'), info: log('info'), warning: log('warning'), error: log('error') };
}

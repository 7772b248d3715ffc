/** Captures what code writes to process.stdout and process.stderr, and the exit code it sets, without printing it. */
import { vi } from 'vitest';

export interface CapturedStreams {
  /** Chunks written so far, in order. */
  readonly stdout: string[];
  readonly stderr: string[];
  restore(): void;
}

/** Starts capturing both streams; `restore()` (or vi.restoreAllMocks) ends it. */
export function captureStreams(): CapturedStreams {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  return {
    stdout,
    stderr,
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

export interface CapturedRun {
  readonly stdout: string;
  readonly stderr: string;
  /** process.exitCode as the run left it; undefined when it set none. */
  readonly exitCode: number | undefined;
}

/**
 * Runs `run` with the streams captured, from an unset process.exitCode, and unsets it again afterwards so one run
 * cannot leak into the next. A thrown error goes to `onError` when given (as the CLI's top-level handler would take
 * it), else it propagates.
 */
export async function captureRun(run: () => Promise<unknown>, onError?: (error: unknown) => void): Promise<CapturedRun> {
  const streams = captureStreams();
  process.exitCode = undefined;
  try {
    await run();
  } catch (error) {
    if (onError === undefined) throw error;
    onError(error);
  } finally {
    streams.restore();
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  process.exitCode = undefined;
  return { stdout: streams.stdout.join(''), stderr: streams.stderr.join(''), exitCode };
}

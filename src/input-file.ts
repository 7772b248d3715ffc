/**
 * Reads an input file (policy, template, export, log) as text within a size bound: the size is checked before the
 * file is read, no more than the bound is ever read, and binary content is refused before anything parses it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inputError } from './errors.js';

export interface InputBound {
  /** What the file is, for messages, with its article: "a policy or template file". */
  readonly what: string;
  readonly maxBytes: number;
  /** Why the bound is what it is, said after the size. */
  readonly why: string;
  /** What to do about a file over the bound. */
  readonly advice: string;
}

const MiB = 1024 * 1024;

/** IAM's largest policy is 10,240 characters (a role's inline policies): 1 MiB is a hundred times that. */
export const POLICY_FILE_BOUND: InputBound = {
  what: 'a policy or template file',
  maxBytes: MiB,
  why: "IAM's largest policy is 10,240 characters",
  advice: 'give the policy or template itself',
};

/** An export of 10,000 users with their groups, tags and every managed policy version stays well under this. */
export const EXPORT_FILE_BOUND: InputBound = {
  what: 'an exported file',
  maxBytes: 128 * MiB,
  why: 'an account of 10,000 users exports far less',
  advice: 'export the account again with the commands of `force-mfa audit --help`',
};

/** An enrollment log of 10,000 users takes a few MB per run. */
export const LOG_FILE_BOUND: InputBound = {
  what: 'a log file',
  maxBytes: 32 * MiB,
  why: 'an enrollment of 10,000 users writes a few MB',
  advice: 'give the right log, or start a new one',
};

/** The file's text; an input error (exit 2, one line) when it is missing, too large, binary or not UTF-8. */
export function readInputText(path: string, bound: InputBound): string {
  const text = readOptionalInputText(path, bound);
  if (text === undefined) throw inputError('file-missing', `cannot read ${path} (no such file): check the path`);
  return text;
}

/** As readInputText, but undefined when the file does not exist. */
export function readOptionalInputText(path: string, bound: InputBound): string | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw inputError('file-unreadable', `cannot read ${path} (${code ?? (error as Error).message}): check the path`, error);
  }
  try {
    const stats = fstatSync(descriptor);
    if (stats.isDirectory()) throw inputError('file-unreadable', `cannot read ${path} (it is a directory): give a file`);
    if (stats.size > bound.maxBytes) throw tooLarge(path, bound, `is ${formatBytes(stats.size)}`);
    // Read in chunks of at most 1 MiB, and no chunk past the bound (devices and pipes report no size, files grow).
    const buffer = Buffer.alloc(Math.min(bound.maxBytes + 1, MiB));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const chunk = Buffer.from(buffer.subarray(0, read));
      // Binary shows in the first bytes: refuse it before reading the rest of a large export.
      if (total === 0 && chunk.subarray(0, 8192).includes(0)) throw binary(path, bound);
      chunks.push(chunk);
      total += read;
      if (total > bound.maxBytes) throw tooLarge(path, bound, 'is larger');
    }
    return decodeText(Buffer.concat(chunks, total), path, bound);
  } catch (error) {
    if (error instanceof Error && error.name === 'ForceMfaError') throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError('file-unreadable', `cannot read ${path} (${code ?? (error as Error).message}): check the path`, error);
  } finally {
    closeSync(descriptor);
  }
}

/** UTF-8 text without NUL bytes; a byte order mark is dropped (Windows editors write one). */
function decodeText(bytes: Buffer, path: string, bound: InputBound): string {
  if (bytes.includes(0)) throw binary(path, bound);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw inputError('file-binary', `${path} is not UTF-8 text: give ${bound.what} as text (JSON or YAML)`, error);
  }
}

function binary(path: string, bound: InputBound) {
  return inputError('file-binary', `${path} is a binary file, not text: give ${bound.what} as text (JSON or YAML)`);
}

function tooLarge(path: string, bound: InputBound, size: string) {
  return inputError(
    'file-too-large',
    `${path} ${size}, over the ${bound.maxBytes / MiB} MiB that ${bound.what} may have (${bound.why}): ${bound.advice}`,
  );
}

/** `52,428,800 bytes (50.0 MiB)`; sizes under 1 MiB in bytes only. */
export function formatBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < MiB ? exact : `${exact} (${(bytes / MiB).toFixed(1)} MiB)`;
}

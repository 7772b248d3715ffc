// The top-level error handler: one line, the right exit code, no stack without --debug.
import { afterEach, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/run.js';
import { inputError } from '../../src/errors.js';
import { captureStreams } from '../support/capture-output.js';

function report(error: unknown): { stderr: string; exitCode: number } {
  const streams = captureStreams();
  process.exitCode = 0;
  try {
    reportError(error);
  } finally {
    streams.restore();
  }
  const exitCode = Number(process.exitCode);
  process.exitCode = 0;
  return { stderr: streams.stderr.join(''), exitCode };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('reportError', () => {
  it('prints an input error as one line with exit code 2', () => {
    expect(report(inputError('x', 'path staff must start with /'))).toEqual({ stderr: 'force-mfa: path staff must start with /\n', exitCode: 2 });
  });

  it('says where to look when AWS cannot be reached (exit 3, one line)', () => {
    // What the SDK throws for a refused connection: the socket error, with the SDK's $metadata added.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    const { stderr, exitCode } = report(refused);
    expect(exitCode).toBe(3);
    expect(stderr).toBe('force-mfa: could not reach AWS (connect ECONNREFUSED 127.0.0.1:9): check the network, AWS_ENDPOINT_URL and the region\n');
  });

  it('names an AWS denial with its code', () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::111122223333:user/ci is not authorized to perform: iam:ListUsers'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const { stderr, exitCode } = report(denied);
    expect(exitCode).toBe(3);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^force-mfa: AWS denied the request \(AccessDenied\): User: .* iam:ListUsers/);
  });
});

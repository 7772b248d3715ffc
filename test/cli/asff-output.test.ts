// `audit --format asff` of an export: the findings are dated by the data (the credential report's GeneratedTime), as
// the import dates them, so an old export piped to `aws securityhub batch-import-findings` cannot pass for a new audit.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('audit --sample --format asff', () => {
  it("dates every finding by the sample's credential report, not by the time of the run", () => {
    const result = runCli(['audit', '--sample', '--format', 'asff'], { AWS_REGION: 'eu-west-1', AWS_PROFILE: undefined });
    expect(result.status, result.stderr).toBe(0);
    const findings = (JSON.parse(result.stdout) as { Findings: { UpdatedAt: string; CreatedAt: string; LastObservedAt: string }[] }).Findings;
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect([finding.UpdatedAt, finding.CreatedAt, finding.LastObservedAt]).toEqual(['2025-06-02T09:00:00.000Z', '2025-06-02T09:00:00.000Z', '2025-06-02T09:00:00.000Z']);
    }
  });
});

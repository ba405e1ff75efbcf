// Lints an OpenAPI document with Spectral's built-in `spectral:oas` ruleset (the one `spectral lint`
// uses by default for OpenAPI), used by the tests and by `npm run lint:openapi`.
import spectralCore from '@stoplight/spectral-core';
import parsers from '@stoplight/spectral-parsers';
import rulesets from '@stoplight/spectral-rulesets';

const { Document, Spectral } = spectralCore;

export interface LintResult { severity: 'error' | 'warning' | 'info' | 'hint'; code: string; message: string; path: string }

const severities = ['error', 'warning', 'info', 'hint'] as const;

export async function lintOpenApi(document: unknown): Promise<LintResult[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[rulesets.oas as never, 'recommended']] } as never);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), parsers.Json));
  return results.map((r) => ({ severity: severities[r.severity] ?? 'hint', code: String(r.code), message: r.message, path: r.path.join('.') }));
}

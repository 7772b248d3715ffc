/** Wildcard matching as IAM does it: actions case-insensitive, resources case-sensitive and ARN-segment aware. */
import type { ResolvedPiece } from './text-pattern.js';

/**
 * - `action`: `*` and `?` anywhere, case-insensitive.
 * - `string`: StringLike; `*` and `?` anywhere (new lines included), case-sensitive.
 * - `resource`: Resource and NotResource; case-sensitive; in the first five segments of an ARN (partition, service,
 *   region, account) `?` and a `*` inside a segment stay inside it, but a `*` that ends a segment may run past the
 *   colons after it (AWS: "If the * wildcard is the last character of a resource ARN segment, it can expand to match
 *   beyond the colon boundaries"); in the resource part `*` matches anything.
 * - `arn`: Arn* conditions, whose six components AWS compares one by one: a wildcard of the first five segments stays
 *   inside its segment, except a `*` ending a pattern that stops before the resource part, which runs to the end.
 */
export type WildcardMode = 'action' | 'string' | 'resource' | 'arn';

/** Tests a value against a pattern; built once per distinct pattern. */
export type Matcher = (value: string) => boolean;

const cache = new Map<string, Matcher>();
const CACHE_LIMIT = 20_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function hasWildcard(pieces: readonly ResolvedPiece[]): boolean {
  return pieces.some((piece) => piece.kind === 'raw' && /[*?]/.test(piece.text));
}

/** True when the pattern is nothing but `*`: it matches every value. */
export function isUniversal(pieces: readonly ResolvedPiece[]): boolean {
  return pieces.length > 0 && pieces.every((piece) => piece.kind === 'raw' && /^\*+$/.test(piece.text));
}

function cacheKey(pieces: readonly ResolvedPiece[], mode: WildcardMode): string {
  return `${mode}\u0000${pieces.map((piece) => (piece.kind === 'raw' ? piece.text : `\u0001${piece.text}\u0002`)).join('')}`;
}

export function compileMatcher(pieces: readonly ResolvedPiece[], mode: WildcardMode): Matcher {
  const key = cacheKey(pieces, mode);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const matcher = buildMatcher(pieces, mode);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, matcher);
  return matcher;
}

function buildMatcher(pieces: readonly ResolvedPiece[], mode: WildcardMode): Matcher {
  if (isUniversal(pieces)) return () => true;
  const text = pieces.map((piece) => piece.text).join('');
  if (!hasWildcard(pieces)) {
    if (mode === 'action') {
      const lower = text.toLowerCase();
      return (value) => value.length === lower.length && value.toLowerCase() === lower;
    }
    return (value) => value === text;
  }
  const source = (mode === 'arn' || mode === 'resource') && text.startsWith('arn:') ? arnSource(pieces, mode) : globSource(pieces);
  const regex = new RegExp(`^${source}$`, mode === 'action' ? 'is' : 's');
  return (value) => regex.test(value);
}

function globSource(pieces: readonly ResolvedPiece[]): string {
  let source = '';
  for (const piece of pieces) {
    if (piece.kind === 'literal') {
      source += escapeRegExp(piece.text);
      continue;
    }
    for (const char of piece.text) source += char === '*' ? '.*' : char === '?' ? '.' : escapeRegExp(char);
  }
  return source;
}

function arnSource(pieces: readonly ResolvedPiece[], mode: 'arn' | 'resource'): string {
  const chars = pieces.flatMap((piece) => [...piece.text].map((char) => ({ char, wildcard: piece.kind === 'raw' && (char === '*' || char === '?') })));
  const colonsInPattern = chars.filter(({ char }) => char === ':').length;
  let source = '';
  let colons = 0;
  chars.forEach(({ char, wildcard }, index) => {
    const last = index === chars.length - 1;
    if (char === ':') {
      colons += 1;
      source += ':';
    } else if (!wildcard) {
      source += escapeRegExp(char);
    } else if (colons >= 5) {
      source += char === '*' ? '.*' : '.';
    } else if (char === '?') {
      source += '[^:]';
    } else if (mode === 'resource') {
      source += last || chars[index + 1]?.char === ':' ? '.*' : '[^:]*';
    } else {
      // A trailing `*` of a pattern that stops before the resource part matches the rest of the ARN.
      source += last && colonsInPattern < 5 ? '.*' : '[^:]*';
    }
  });
  return source;
}

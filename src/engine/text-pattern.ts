/** Policy text as pieces: written text (where `*` and `?` may be wildcards), literal text and policy variables. */

/**
 * - `raw`: text as written in the policy; `*` and `?` are wildcards for operators that take them.
 * - `literal`: text that is never a wildcard: `${*}`, `${?}`, `${$}` and substituted variable values.
 * - `variable`: `${key}` or `${key, 'default'}`; `key` is lower-cased because condition keys are case-insensitive.
 */
export type TextPiece =
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly name: string; readonly fallback?: string; readonly source: string };

export type ResolvedPiece = { readonly kind: 'raw' | 'literal'; readonly text: string };

export type ParsedText = { readonly pieces: readonly TextPiece[] } | { readonly problem: string };

const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };
const VARIABLE_BODY = /^([^\s,'${}]+)\s*(?:,\s*'([^']*)')?$/;

/** Splits policy text into pieces; with `substitute` false (Version other than 2012-10-17) `${...}` stays raw text. */
export function parseText(text: string, substitute: boolean): ParsedText {
  if (!substitute || !text.includes('${')) return { pieces: [{ kind: 'raw', text }] };
  const pieces: TextPiece[] = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start < 0) {
      pieces.push({ kind: 'raw', text: rest });
      break;
    }
    if (start > 0) pieces.push({ kind: 'raw', text: rest.slice(0, start) });
    const end = rest.indexOf('}', start);
    if (end < 0) return { problem: `policy variable in "${text}" has no closing "}"` };
    const body = rest.slice(start + 2, end).trim();
    const special = SPECIAL[body];
    if (special !== undefined) {
      pieces.push({ kind: 'literal', text: special });
    } else {
      const match = VARIABLE_BODY.exec(body);
      if (match === null || match[1] === undefined) {
        return { problem: `malformed policy variable "\${${body}}" in "${text}"; write \${key} or \${key, 'default'}` };
      }
      const name = match[1];
      const source = rest.slice(start, end + 1);
      pieces.push(
        match[2] === undefined
          ? { kind: 'variable', key: name.toLowerCase(), name, source }
          : { kind: 'variable', key: name.toLowerCase(), name, fallback: match[2], source },
      );
    }
    rest = rest.slice(end + 1);
  }
  return { pieces };
}

/**
 * AWS substitutes variables only in the resource part of an ARN ("You can't use a variable to replace parts of the
 * ARN before the fifth colon"): a variable before it stays literal text. Returns the pieces with those variables made
 * literal, and their texts (for notes and traces).
 */
export function literalVariablesBeforeResourcePart(pieces: readonly TextPiece[]): { pieces: readonly TextPiece[]; literal: readonly string[] } {
  let colons = 0;
  const literal: string[] = [];
  const result = pieces.map((piece): TextPiece => {
    if (piece.kind !== 'variable') {
      colons += piece.text.split(':').length - 1;
      return piece;
    }
    if (colons >= 5) return piece;
    literal.push(piece.source);
    return { kind: 'literal', text: piece.source };
  });
  return literal.length === 0 ? { pieces, literal } : { pieces: result, literal };
}

export function hasVariables(pieces: readonly TextPiece[]): boolean {
  return pieces.some((piece) => piece.kind === 'variable');
}

/**
 * Substitutes variables from the request context. A variable whose key is absent (or multivalued) and that has no
 * default cannot be substituted: the result is undefined and the value matches nothing, as in AWS.
 */
export function resolvePieces(
  pieces: readonly TextPiece[],
  lookup: (key: string) => readonly string[] | undefined,
): readonly ResolvedPiece[] | undefined {
  const resolved: ResolvedPiece[] = [];
  for (const piece of pieces) {
    if (piece.kind !== 'variable') {
      resolved.push(piece);
      continue;
    }
    const values = lookup(piece.key);
    if (values !== undefined && values.length === 1) {
      resolved.push({ kind: 'literal', text: values[0] as string });
    } else if (piece.fallback !== undefined) {
      resolved.push({ kind: 'literal', text: piece.fallback });
    } else {
      return undefined;
    }
  }
  return resolved;
}

export function joinPieces(pieces: readonly ResolvedPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

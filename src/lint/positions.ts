/** Line and column of a value inside a lint input's text, found by its path in the parsed content (SARIF regions). */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { CLOUDFORMATION_TAGS } from './sources/cloudformation-yaml.js';

/** 1-based lines and columns, the end just after the value (SARIF's convention). */
export interface TextRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type RegionFinder = (path: readonly (string | number)[]) => TextRegion | undefined;

/**
 * A finder of the region of `path` in `text`. JSON is read by the YAML parser too (JSON is YAML 1.2), which keeps
 * every node's offsets. Where the path leaves the text (a policy given as a JSON string, a single statement not in a
 * list, a value built by an intrinsic function), the region is the deepest value on the path that the text has.
 */
export function regionFinder(text: string): RegionFinder {
  const lines = new LineCounter();
  const document = parseDocument(text, { customTags: [...CLOUDFORMATION_TAGS], lineCounter: lines, uniqueKeys: false });
  return (path) => {
    const root: unknown = document.contents;
    if (!isNode(root)) return undefined;
    let node: Node = root;
    for (const segment of path) {
      const next = child(node, segment);
      if (next === undefined) break;
      node = next;
    }
    const range = node.range;
    if (range === undefined || range === null) return undefined;
    const start = lines.linePos(range[0]);
    const end = lines.linePos(range[1]);
    return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
  };
}

function child(node: Node, segment: string | number): Node | undefined {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return isNode(item) ? item : undefined;
  }
  if (isMap(node) && typeof segment === 'string') {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
    return pair !== undefined && isNode(pair.value) ? pair.value : undefined;
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

/** A guard for every paginated AWS listing: a Marker or NextToken that comes back a second time is an error. */
import { environmentError } from '../errors.js';

/**
 * Returns a function to pass each page's next token through: it returns the token, and throws (exit 3, one line)
 * when the endpoint hands out a token it gave before, which would make the listing fetch the same pages forever.
 */
export function pageTokenGuard(operation: string): (token: string | undefined) => string | undefined {
  const seen = new Set<string>();
  return (token) => {
    if (token === undefined || token === '') return undefined;
    if (seen.has(token)) {
      throw environmentError(
        'aws-pagination-loop',
        `${operation} returned a page token it had returned before (after ${seen.size} page(s)): the endpoint repeats its pages; stopped instead of reading them again`,
      );
    }
    seen.add(token);
    return token;
  };
}

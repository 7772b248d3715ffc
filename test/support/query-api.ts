/** The XML of the AWS Query API (IAM, STS, CloudFormation) as fakes answer it: elements, result and error envelopes. */
import type { ServerResponse } from 'node:http';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const CLOUDFORMATION_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const element = (name: string, value: string): string => `<${name}>${escapeXml(value)}</${name}>`;

/** A Query API list: each item (already XML) in a `<member>`. */
export const members = (items: readonly string[]): string => items.map((item) => `<member>${item}</member>`).join('');

/** A failure a fake answers with an error envelope (or, for JSON protocols, an error object). */
export class QueryFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function queryResult(namespace: string, action: string, result: string, requestId: string): string {
  return `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The error envelope; `namespace` is optional because the SDK reads the error without it. */
export function queryError(fault: { readonly code: string; readonly message: string }, namespace?: string, requestId = 'fake-error'): string {
  const xmlns = namespace === undefined ? '' : ` xmlns="${namespace}"`;
  return `<ErrorResponse${xmlns}><Error><Type>Sender</Type>${element('Code', fault.code)}${element('Message', fault.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export function sendXml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(body);
}

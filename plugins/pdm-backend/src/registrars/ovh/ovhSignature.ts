import { createHash } from 'node:crypto';

export interface OvhSignatureInput {
  appSecret: string;
  consumerKey: string;
  method: string;
  /** Absolute URL including the query string, exactly as sent. */
  url: string;
  /** The exact body sent; "" for a GET. */
  body: string;
  /** Unix seconds, in the API's clock. */
  timestamp: number;
}

/** OVH's request signature: "$1$" + hex(SHA1(appSecret+consumerKey+METHOD+url+body+timestamp joined by "+")). */
export function signOvhRequest(input: OvhSignatureInput): string {
  const material = [
    input.appSecret,
    input.consumerKey,
    input.method.toUpperCase(),
    input.url,
    input.body,
    String(input.timestamp),
  ].join('+');
  return `$1$${createHash('sha1').update(material).digest('hex')}`;
}

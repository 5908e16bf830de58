import { XMLParser } from 'fast-xml-parser';

/** Elements that may repeat; always parsed as arrays so one-element lists look like longer ones. */
const REPEATED = new Set(['Error', 'Warning', 'Domain', 'Nameserver']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: name => REPEATED.has(name),
});

export interface NamecheapReply {
  status: 'OK' | 'ERROR' | string;
  errors: Array<{ number: string; message: string }>;
  /** The `<CommandResponse>` element as parsed, or undefined. */
  commandResponse: any;
}

/** Reads `<ApiResponse Status="…"><Errors>…</Errors><CommandResponse>…` ; undefined when it is not that shape. */
export function parseNamecheapReply(xml: string): NamecheapReply | undefined {
  let document: any;
  try {
    document = parser.parse(xml);
  } catch {
    return undefined;
  }
  const root = document?.ApiResponse;
  if (!root || typeof root !== 'object') return undefined;
  const errorList =
    root.Errors && typeof root.Errors === 'object'
      ? root.Errors.Error
      : undefined;
  const errors = (Array.isArray(errorList) ? errorList : []).map(
    (error: any) => ({
      number: String(error?.['@_Number'] ?? ''),
      message: String(
        typeof error === 'object' ? error?.['#text'] ?? '' : error ?? '',
      ),
    }),
  );
  return {
    status: String(root['@_Status'] ?? ''),
    errors,
    commandResponse: root.CommandResponse,
  };
}

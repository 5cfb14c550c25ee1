/**
 * v1 answers for paths without `.json` are XML ("append .json … if you'd prefer JSON"). The root
 * element is not documented anywhere we could check; Exotel's API descends from Twilio's, whose root is
 * `TwilioResponse`, so the simulator uses that (UNCONFIRMED). Arrays repeat their parent's element.
 */
export function toXml(body: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<TwilioResponse>${element(body)}</TwilioResponse>\n`;
}

function element(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return escape(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return '';
  let out = '';
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const items = Array.isArray(child) ? (child as unknown[]) : [child];
    for (const item of items) out += `<${key}>${element(item)}</${key}>`;
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

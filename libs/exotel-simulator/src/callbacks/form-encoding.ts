/** A callback payload: scalars, and arrays of flat objects (`Legs`). */
export type CallbackPayload = Record<
  string,
  string | number | null | readonly Record<string, string | number | null>[]
>;

/**
 * Flattens a payload the way Exotel's form callbacks carry it: `Legs[0][Status]`,
 * `Legs[0][OnCallDuration]`… Nulls are written as the string `null`, which receivers must expect
 * (frappe checks `RecordingUrl != "null"`).
 */
function flattenPayload(payload: CallbackPayload): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (Array.isArray(value)) {
      (value as readonly Record<string, string | number | null>[]).forEach((item, index) => {
        for (const [field, inner] of Object.entries(item))
          out.push([`${key}[${index}][${field}]`, scalar(inner)]);
      });
    } else {
      out.push([key, scalar(value as string | number | null)]);
    }
  }
  return out;
}

/** A `multipart/form-data` body of the flattened payload. */
export function encodeMultipart(payload: CallbackPayload, boundary: string): string {
  let body = '';
  for (const [name, value] of flattenPayload(payload)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

function scalar(value: string | number | null): string {
  return value === null ? 'null' : String(value);
}

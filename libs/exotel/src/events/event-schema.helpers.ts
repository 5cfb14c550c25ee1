import { z } from 'zod';

/** An instant in ISO 8601 (UTC), as every event carries times. */
export const isoInstant = z.iso.datetime({ offset: true });

/** An E.164 phone number such as +919876543210. */
export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

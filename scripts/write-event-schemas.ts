/**
 * Writes the JSON Schema of every event type to docs/event-schemas/<type>.json, for consumers in
 * other languages: `npm run schemas`. A test fails when the committed files are out of date.
 */
import { exotelEventJsonSchemas } from 'nestjs-exotel';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = join(process.cwd(), 'docs/event-schemas');
mkdirSync(directory, { recursive: true });
const schemas = exotelEventJsonSchemas();
for (const [type, schema] of Object.entries(schemas)) {
  writeFileSync(join(directory, `${type}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
process.stdout.write(`Wrote ${Object.keys(schemas).length} schemas to docs/event-schemas\n`);

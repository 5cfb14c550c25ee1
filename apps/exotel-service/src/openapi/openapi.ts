import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Builds the OpenAPI document of the service's HTTP surface. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nestjs-exotel service')
    .setDescription(
      'Exotel telephony made dependable: calls that never dial twice, ExoPhone health and failover, ' +
        'incidents and the support SLA. Exotel-facing webhooks authenticate with the webhook secret ' +
        '(`?key=` or HTTP Basic password); the management API with `Authorization: Bearer <key>`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A key from SERVICE_API_KEYS' })
    .addApiKey(
      { type: 'apiKey', in: 'query', name: 'key', description: 'Webhook secret (EXOTEL_WEBHOOK_SECRET)' },
      'webhook-key',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the OpenAPI UI at `/docs` and the JSON at `/docs/openapi.json`. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}

import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ExotelConfigurationError } from './errors/exotel-configuration.error';
import { EXOTEL_EVENT_CATALOGUE } from './events/event-catalogue';
import { ExotelEventsConsumer } from './events/consumer/exotel-events-consumer';
import { ExotelEventHandlers, HostEventHandlers } from './events/exotel-event-handlers';
import { EXOTEL_EVENT_SCHEMAS } from './exotel-event-catalogue';
import { dottedPath, toConfigurationProblems } from './options/configuration-problems';
import {
  EXOTEL_CONSUMER_MODULE_OPTIONS,
  EXOTEL_CONSUMER_OPTIONS,
  ExotelEventsConsumerConfigurableModule,
} from './events/consumer/exotel-events-consumer.module-definition';
import {
  consumerOptionsSchema,
  type ResolvedConsumerOptions,
} from './events/consumer/exotel-events-consumer.options';

/**
 * For services that react to Exotel events without talking to Exotel: reads the Kafka topics the
 * publishing service writes and calls your `@OnExotelEvent()` methods, once per event id. In an
 * app that also imports `ExotelModule`, the events it published itself are left to its in-process
 * delivery, so each handler still runs once per event.
 *
 * ```ts
 * @Module({
 *   imports: [ExotelEventsConsumerModule.forRoot({ kafka: { brokers: ['kafka:9092'] }, groupId: 'crm' })],
 *   providers: [CrmSync], // has @OnExotelEvent('call.completed') methods
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: EXOTEL_CONSUMER_OPTIONS,
      useFactory: (raw: unknown): ResolvedConsumerOptions => {
        const parsed = consumerOptionsSchema.safeParse(raw);
        if (!parsed.success)
          throw new ExotelConfigurationError(toConfigurationProblems(parsed.error, dottedPath));
        return parsed.data;
      },
      inject: [EXOTEL_CONSUMER_MODULE_OPTIONS],
    },
    { provide: EXOTEL_EVENT_CATALOGUE, useValue: EXOTEL_EVENT_SCHEMAS },
    // The app's own handlers only: the library's wiring runs in-process where events are published.
    { provide: ExotelEventHandlers, useClass: HostEventHandlers },
    ExotelEventsConsumer,
  ],
  exports: [ExotelEventsConsumer],
})
export class ExotelEventsConsumerModule extends ExotelEventsConsumerConfigurableModule {}

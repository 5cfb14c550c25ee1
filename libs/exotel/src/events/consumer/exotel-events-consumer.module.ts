import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ExotelConfigurationError } from '../../errors/exotel-configuration.error';
import { dottedPath, toConfigurationProblems } from '../../options/configuration-problems';
import { ExotelEventHandlers } from '../exotel-event-handlers';
import { ExotelEventsConsumer } from './exotel-events-consumer';
import {
  EXOTEL_CONSUMER_MODULE_OPTIONS,
  EXOTEL_CONSUMER_OPTIONS,
  ExotelEventsConsumerConfigurableModule,
} from './exotel-events-consumer.module-definition';
import { consumerOptionsSchema, type ResolvedConsumerOptions } from './exotel-events-consumer.options';

/**
 * For services that react to Exotel events without talking to Exotel: reads the Kafka topics the
 * publishing service writes and calls your `@OnExotelEvent()` methods, once per event id.
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
    ExotelEventHandlers,
    ExotelEventsConsumer,
  ],
  exports: [ExotelEventsConsumer],
})
export class ExotelEventsConsumerModule extends ExotelEventsConsumerConfigurableModule {}

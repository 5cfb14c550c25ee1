import { ExotelEventsConsumerModule } from 'nestjs-exotel/events';
import { type DynamicModule, Module } from '@nestjs/common';
import { OperationsFeedHandler } from './operations-feed.handler';

/** Settings of the example consumer. */
export interface ConsumerAppSettings {
  readonly brokers: string[];
  readonly topicPrefix?: string;
  readonly groupId: string;
  readonly fromBeginning?: boolean;
}

/** An example service reacting to Exotel events from Kafka, without Exotel credentials. */
@Module({})
export class ConsumerAppModule {
  static forRoot(settings: ConsumerAppSettings): DynamicModule {
    return {
      module: ConsumerAppModule,
      imports: [
        ExotelEventsConsumerModule.forRoot({
          kafka: { brokers: settings.brokers, clientId: 'exotel-events-consumer' },
          groupId: settings.groupId,
          topicPrefix: settings.topicPrefix,
          fromBeginning: settings.fromBeginning ?? false,
        }),
      ],
      providers: [OperationsFeedHandler],
    };
  }
}

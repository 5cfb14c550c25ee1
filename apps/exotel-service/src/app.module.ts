import { ExotelModule, type ExotelModuleOptions } from 'nestjs-exotel';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { exotelOptionsFrom } from './config/exotel-options.factory';
import type { ServiceConfig } from './config/service-config';
import { databaseOptions, type DatabaseIsolation } from './database/database-options';
import { openWithLockedMigrations } from './database/locked-migrations';
import { HealthController } from './health/health.controller';
import { StartupState } from './health/startup-state';
import { MetricsController } from './metrics/metrics.controller';
import { EchoAgent } from './voice/echo-agent';

/** Adjustments for tests and embedding experiments; production passes none. */
export interface AppModuleOverrides {
  /** Merged over the Exotel options derived from the configuration. */
  readonly exotel?: Partial<ExotelModuleOptions>;
  /** Isolates the database (a PostgreSQL schema per test suite). */
  readonly database?: DatabaseIsolation;
}

/** The reference service: ExotelModule wired to TypeORM, Terminus probes and metrics. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ service: config })] }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (settings: ConfigService) =>
            databaseOptions(settings.getOrThrow<ServiceConfig>('service').database, overrides.database),
          // Replicas starting together take turns at the migrations (a PostgreSQL advisory lock).
          dataSourceFactory: (options) => openWithLockedMigrations(options!),
        }),
        ExotelModule.forRootAsync({
          isGlobal: true,
          // The service is the module's only user: its management API sits at the root (/calls).
          managementPrefix: '',
          inject: [ConfigService],
          useFactory: (settings: ConfigService): ExotelModuleOptions => ({
            ...exotelOptionsFrom(settings.getOrThrow<ServiceConfig>('service')),
            ...overrides.exotel,
          }),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        StartupState,
        ...(config.voice.echoAgent
          ? [{ provide: EchoAgent, useValue: new EchoAgent(config.voice.transferNumber) }]
          : []),
      ],
    };
  }
}

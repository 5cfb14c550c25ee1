import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import {
  EXOTEL_VOICE_AGENT,
  type ExotelVoiceAgentOptions,
  type VoiceAgent,
} from './exotel-voice-agent.decorator';

/** A discovered agent. */
export interface RegisteredVoiceAgent {
  readonly name: string;
  readonly options: ExotelVoiceAgentOptions;
  readonly agent: VoiceAgent;
}

/**
 * The `@ExotelVoiceAgent()` providers of the application, found at boot, and the choice of one
 * for a stream: the one named by the `agent` custom parameter, else the default one, else the only
 * one.
 */
@Injectable()
export class VoiceAgents implements OnModuleInit {
  private readonly logger = new Logger(VoiceAgents.name);
  private agents: RegisteredVoiceAgent[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found: RegisteredVoiceAgent[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Partial<VoiceAgent> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      // Read from the instance's class, so `useValue` / `useFactory` agents are found too.
      const options = this.reflector.get<ExotelVoiceAgentOptions | undefined>(
        EXOTEL_VOICE_AGENT,
        instance.constructor as () => unknown,
      );
      if (!options) continue;
      if (typeof instance.handleSession !== 'function') {
        this.logger.error(
          `${instance.constructor.name} is an @ExotelVoiceAgent() without handleSession(); ignored`,
        );
        continue;
      }
      if (found.some((f) => f.agent === instance)) continue;
      found.push({ name: options.name ?? instance.constructor.name, options, agent: instance as VoiceAgent });
    }
    this.agents = found;
    if (found.length > 0) this.logger.log(`Voice agents: ${found.map((a) => a.name).join(', ')}`);
  }

  /** Every agent found. */
  list(): readonly RegisteredVoiceAgent[] {
    return this.agents;
  }

  /** The agent for a stream with these custom parameters, or undefined when none fits. */
  select(customParameters: Readonly<Record<string, string>> = {}): RegisteredVoiceAgent | undefined {
    const named = customParameters.agent;
    if (named !== undefined) {
      const match = this.agents.find((a) => a.name === named);
      if (match) return match;
    }
    return (
      this.agents.find((a) => a.options.default) ?? (this.agents.length === 1 ? this.agents[0] : undefined)
    );
  }
}

import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { IsBoolean, IsIn, IsInt, IsString, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../http/edge-validators';

// Types are checked here; limits and combinations are checked by CallsService, which answers each
// with its own stable code (TIME_LIMIT_OUT_OF_RANGE, CALL_TARGET_CONFLICT...), whoever calls it.

/** Body of `POST /calls`. Give exactly one target: `to`, a flow (`appletId`, `template`, `flowUrl`) or `streamUrl`. */
export class CreateCallDto {
  @ApiProperty({
    example: '+919876543210',
    description: 'Dialled first: E.164, or an Indian number (9876543210)',
  })
  @IsString()
  @MaxLength(40)
  from!: string;

  @ApiPropertyOptional({
    example: '+919812345678',
    description: 'Two-number call: bridged once `from` answers',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ example: '123456', description: 'Flow call: the applet (app) id' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(20)
  appletId?: string;

  @ApiPropertyOptional({
    example: 'onboarding',
    description:
      'Flow call: a template; its applet id (EXOTEL_TEMPLATE_APPLETS), else the default (EXOTEL_TEMPLATE_APPLET_APP_ID)',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  template?: string;

  @ApiPropertyOptional({
    description: 'Flow call: the full flow URL (http://my.exotel.com/<sid>/exoml/start_voice/<app_id>)',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(600)
  flowUrl?: string;

  @ApiPropertyOptional({
    example: 'wss://bot.example.com/media',
    description: 'Voice AI call: ws(s) URL, under 600 characters',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1000)
  streamUrl?: string;

  @ApiPropertyOptional({ maxLength: 32 })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  streamName?: string;

  @ApiPropertyOptional({
    example: '08047491899',
    description: 'ExoPhone shown to the callee (failover may pick another); default calls.defaultCallerId',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(64)
  callerId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 14400,
    description: 'Longest call, seconds (TIME_LIMIT_OUT_OF_RANGE beyond)',
  })
  @IsOptionalNotNull()
  @IsInt()
  timeLimit?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Ring time per leg, seconds' })
  @IsOptionalNotNull()
  @IsInt()
  timeOut?: number;

  @ApiPropertyOptional({ description: 'WAV played to `from` while `to` rings' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1000)
  waitUrl?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  record?: boolean;

  @ApiPropertyOptional({ enum: ['single', 'dual'] })
  @IsOptionalNotNull()
  @IsIn(['single', 'dual'])
  recordingChannels?: 'single' | 'dual';

  @ApiPropertyOptional({ enum: ['mp3', 'mp3-hq'] })
  @IsOptionalNotNull()
  @IsIn(['mp3', 'mp3-hq'])
  recordingFormat?: 'mp3' | 'mp3-hq';

  @ApiPropertyOptional({
    maxLength: 111,
    description: 'Returned by Exotel with the terminal callback (CUSTOM_FIELD_TOO_LONG beyond 111)',
  })
  @IsOptionalNotNull()
  @IsString()
  customField?: string;

  @ApiPropertyOptional({
    enum: ['transactional', 'promotional'],
    default: 'transactional',
    description: 'Promotional calls only 09:00-21:00 India time (PROMOTIONAL_CALL_OUTSIDE_HOURS)',
  })
  @IsOptionalNotNull()
  @IsIn(['transactional', 'promotional'])
  purpose?: 'transactional' | 'promotional';

  @ApiPropertyOptional({
    default: true,
    description: "Wait for Exotel's answer (201), or answer 202 at once",
  })
  @IsOptionalNotNull()
  @IsBoolean()
  wait?: boolean;
}

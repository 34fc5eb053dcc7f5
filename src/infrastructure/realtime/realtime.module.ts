import { Global, Module } from '@nestjs/common';
import { RealtimeServer } from './realtime.server';

@Global()
@Module({ providers: [RealtimeServer], exports: [RealtimeServer] })
export class RealtimeModule {}

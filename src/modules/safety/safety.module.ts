import { Module } from '@nestjs/common';
import { CrisisDetector } from './crisis-detector';
import { CrisisResourcesService } from './crisis-resources.service';
import { SafetyController } from './safety.controller';

/**
 * Clinical safety: crisis-language detection in English and Russian. CrisisDetector is
 * pure and synchronous (no I/O, microseconds per message), exported so every feature that
 * takes text from a user (chat, companion, mood notes, goal progress) can run it inline.
 */
@Module({
  controllers: [SafetyController],
  providers: [CrisisDetector, CrisisResourcesService],
  exports: [CrisisDetector, CrisisResourcesService],
})
export class SafetyModule {}

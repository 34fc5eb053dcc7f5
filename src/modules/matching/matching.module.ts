import './matching.errors';
import './matching.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { ProvidersModule } from 'src/modules/providers/providers.module';
import { UsersModule } from 'src/modules/users/users.module';
import { Match } from './entities/match.entity';
import { MatchingPreferences } from './entities/matching-preferences.entity';
import { MatchScoringService } from './match-scoring.service';
import { MatchViews } from './match-views';
import { MatchesController } from './matches.controller';
import { MatchesService } from './matches.service';
import { MatchingFactsService } from './matching-facts.service';
import { MatchingPreferencesService } from './matching-preferences.service';
import { SuggestionsService } from './suggestions.service';
import { MatchingPersonalData } from './matching-personal-data';

/**
 * HumanLink matching: staff match a client with a therapist or friend, a worker job
 * computes the compatibility score and its reasons (compatibility.ts) and pushes it to both
 * sides; the client accepts or declines. Suggestions rank the directory for a client;
 * scores are recomputed, debounced, when personality data (users' ProfileChangeHooks),
 * matching preferences or a provider profile change.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Match, MatchingPreferences]), UsersModule, ProvidersModule, NotificationsModule],
  controllers: [MatchesController],
  providers: [MatchingPersonalData, MatchesService, MatchScoringService, MatchingFactsService, MatchingPreferencesService, MatchViews, SuggestionsService],
})
export class MatchingModule {}

import { PAYMENT_METHOD_PATTERN } from './payments.types';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { PLAN_DESCRIPTION_MAX_LENGTH, PLAN_DISPLAY_NAME_MAX_LENGTH, PLAN_NAME_MAX_LENGTH } from './entities/plan.entity';
import { CURRENCY_PATTERN, DECIMAL_AMOUNT_PATTERN } from './money';
import { PAYMENT_PROVIDERS, PAYMENT_PURPOSES, PAYMENT_STATUSES, SUBSCRIPTION_STATUSES } from './payments.types';

export const PLAN_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const FEATURE_MAX_LENGTH = 200;
const FEATURES_MAX = 30;
const COMPANION_DAILY_MESSAGES_MAX = 100_000;
const CLIENT_SECRET_PATTERN = /^[A-Za-z0-9_]{10,255}$/;

const PlanNameField = (field: string, description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description, pattern: PLAN_NAME_PATTERN.source, maxLength: PLAN_NAME_MAX_LENGTH, example: 'premium' }),
    Optional(),
    IsString(),
    Matches(PLAN_NAME_PATTERN, { message: `${field} must be a plan name: lowercase letters, digits, - or _` }),
  );

export class SubscribeDto {
  @UuidField({ optional: true, description: 'The plan to subscribe to (HumanLink). Send exactly one of plan_id, plan or plan_name.' })
  plan_id?: string;

  @PlanNameField('plan', 'The plan by name (SafeTalk), instead of plan_id.')
  plan?: string;

  @PlanNameField('plan_name', 'The plan by name (SafeTalk), instead of plan_id.')
  plan_name?: string;

  @ApiProperty({
    description: 'A payment method id. Sandbox: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined, `pm_card_authenticationRequired` needs action.',
    example: 'pm_card_visa',
    pattern: PAYMENT_METHOD_PATTERN.source,
    maxLength: 255,
  })
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a payment method id (letters, digits, _)' })
  payment_method_id!: string;
}

export class SandboxConfirmDto {
  @ApiProperty({ description: 'The client_secret a payment that needed action answered with.', pattern: CLIENT_SECRET_PATTERN.source, maxLength: 255 })
  @IsString()
  @Matches(CLIENT_SECRET_PATTERN, { message: 'client_secret must be a client secret from a payment answer' })
  client_secret!: string;
}

export class EntitlementsDto {
  @ApiProperty({ enum: ['standard', 'premium'], description: 'Rate-limit tier: premium raises the hourly request limit.' })
  @IsIn(['standard', 'premium'])
  rate_tier!: 'standard' | 'premium';

  @ApiProperty({ minimum: 0, maximum: COMPANION_DAILY_MESSAGES_MAX, description: 'Messages a day to the AI companion.' })
  @IsInt()
  @Min(0)
  @Max(COMPANION_DAILY_MESSAGES_MAX)
  companion_daily_messages!: number;
}

export class CreatePlanDto {
  @ApiProperty({ pattern: PLAN_NAME_PATTERN.source, maxLength: PLAN_NAME_MAX_LENGTH, example: 'premium' })
  @IsString()
  @Matches(PLAN_NAME_PATTERN, { message: 'name must be 1-40 lowercase letters, digits, - or _' })
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: PLAN_DISPLAY_NAME_MAX_LENGTH, example: 'Premium Plan' })
  @IsString()
  @MinLength(1)
  @MaxLength(PLAN_DISPLAY_NAME_MAX_LENGTH)
  display_name!: string;

  @ApiPropertyOptional({ maxLength: PLAN_DESCRIPTION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(PLAN_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiProperty({ description: 'Monthly price as a decimal string in the currency ("19.99").', example: '19.99', pattern: DECIMAL_AMOUNT_PATTERN.source, maxLength: 10 })
  @IsString()
  @Matches(DECIMAL_AMOUNT_PATTERN, { message: 'price_monthly must be a decimal amount like "19.99"' })
  price_monthly!: string;

  @ApiProperty({ description: 'ISO 4217 code, upper case.', example: 'USD', pattern: CURRENCY_PATTERN.source, minLength: 3, maxLength: 3 })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an upper-case ISO 4217 code like USD' })
  currency!: string;

  @ApiPropertyOptional({ items: { type: 'string', maxLength: FEATURE_MAX_LENGTH }, type: [String], maxItems: FEATURES_MAX, example: ['Chat', 'Mood Tracking'] })
  @Optional()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(FEATURE_MAX_LENGTH, { each: true })
  @ArrayMaxSize(FEATURES_MAX)
  features?: string[];

  @ApiProperty({ type: EntitlementsDto })
  // ValidateNested alone lets a missing object through (class-validator skips undefined).
  @IsObject()
  @ValidateNested()
  @Type(() => EntitlementsDto)
  entitlements!: EntitlementsDto;
}

export class UpdatePlanDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: PLAN_DISPLAY_NAME_MAX_LENGTH })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(PLAN_DISPLAY_NAME_MAX_LENGTH)
  display_name?: string;

  @ApiPropertyOptional({ maxLength: PLAN_DESCRIPTION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(PLAN_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ description: 'New monthly price for new subscriptions ("24.99").', pattern: DECIMAL_AMOUNT_PATTERN.source, maxLength: 10 })
  @Optional()
  @IsString()
  @Matches(DECIMAL_AMOUNT_PATTERN, { message: 'price_monthly must be a decimal amount like "19.99"' })
  price_monthly?: string;

  @ApiPropertyOptional({ items: { type: 'string', maxLength: FEATURE_MAX_LENGTH }, type: [String], maxItems: FEATURES_MAX })
  @Optional()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(FEATURE_MAX_LENGTH, { each: true })
  @ArrayMaxSize(FEATURES_MAX)
  features?: string[];

  @ApiPropertyOptional({ type: EntitlementsDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntitlementsDto)
  entitlements?: EntitlementsDto;

  @ApiPropertyOptional({ description: 'false hides the plan from new subscribers (current ones keep it).' })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class PlanDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: PLAN_NAME_MAX_LENGTH, example: 'premium' })
  name!: string;

  @ApiProperty({ maxLength: PLAN_DISPLAY_NAME_MAX_LENGTH })
  display_name!: string;

  @ApiProperty({ maxLength: PLAN_DESCRIPTION_MAX_LENGTH })
  description!: string;

  @ApiProperty({ maxLength: 10, example: '19.99', description: 'Decimal string in `currency`.' })
  price_monthly!: string;

  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty({ maxItems: FEATURES_MAX, items: { type: 'string', maxLength: FEATURE_MAX_LENGTH }, type: [String] })
  features!: string[];

  @ApiProperty({ type: EntitlementsDto })
  entitlements!: EntitlementsDto;

  @ApiProperty()
  active!: boolean;
}

export class SubscriptionDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: SUBSCRIPTION_STATUSES })
  status!: string;

  @ApiDateTimeProperty({ nullable: true })
  current_period_end!: string | null;

  @ApiProperty({ description: 'The subscription ends at current_period_end instead of renewing.' })
  cancel_at_period_end!: boolean;

  @ApiProperty({ type: PlanDto })
  plan!: PlanDto;

  @ApiDateTimeProperty({ nullable: true })
  cancelled_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class SubscribeResultDto {
  @ApiProperty({ type: SubscriptionDto })
  subscription!: SubscriptionDto;

  @ApiProperty({ maxLength: 255, type: String, nullable: true, description: 'Set when the payment needs the customer’s action (status incomplete): complete it with this secret.' })
  client_secret!: string | null;
}

export class SubscriptionStatusDto {
  @ApiProperty({ enum: ['none', ...SUBSCRIPTION_STATUSES], description: 'The current subscription’s status; `none` when there is none (the free plan applies).' })
  status!: string;

  @ApiProperty({ type: PlanDto, description: 'The plan whose entitlements apply now: the subscription’s while active or past due, else the free plan.' })
  plan!: PlanDto;

  @ApiProperty({ type: EntitlementsDto })
  entitlements!: EntitlementsDto;

  @ApiProperty({ type: SubscriptionDto, nullable: true, description: 'The current (not cancelled) subscription, if any.' })
  subscription!: SubscriptionDto | null;
}

export class PaymentDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: 10, example: '19.99' })
  amount!: string;

  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: string;

  @ApiProperty({ enum: PAYMENT_PURPOSES })
  purpose!: string;

  @ApiProperty({ maxLength: 255, description: 'The subscription or ticket paid for.' })
  reference_id!: string;

  @ApiProperty({ maxLength: 500 })
  description!: string;

  @ApiProperty({ enum: PAYMENT_PROVIDERS })
  provider!: string;

  @ApiProperty({ maxLength: 255 })
  provider_payment_id!: string;

  @ApiProperty({ maxLength: 500, type: String, nullable: true })
  failure_message!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class SandboxConfirmResultDto {
  @ApiProperty({ type: PaymentDto })
  payment!: PaymentDto;

  @ApiProperty({ type: SubscriptionDto, nullable: true, description: 'The subscription the payment was for, now active.' })
  subscription!: SubscriptionDto | null;
}

export class AdminSubscriptionDto extends SubscriptionDto {
  @ApiUuidProperty()
  user_id!: string;

  @ApiProperty({ enum: PAYMENT_PROVIDERS })
  provider!: string;

  @ApiProperty({ maxLength: 255 })
  provider_subscription_id!: string;
}

export class PlanListQueryDto extends PaginationQueryDto {}

export class AdminPlanListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @Optional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';
}

export class AdminSubscriptionListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES })
  @Optional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Plan name.', pattern: PLAN_NAME_PATTERN.source, maxLength: PLAN_NAME_MAX_LENGTH })
  @Optional()
  @IsString()
  @Matches(PLAN_NAME_PATTERN, { message: 'plan must be a plan name' })
  plan?: string;

  @UuidField({ optional: true })
  user_id?: string;
}

export class AdminPaymentListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @Optional()
  @IsIn(PAYMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: PAYMENT_PURPOSES })
  @Optional()
  @IsIn(PAYMENT_PURPOSES)
  purpose?: string;

  @ApiPropertyOptional({ enum: PAYMENT_PROVIDERS })
  @Optional()
  @IsIn(PAYMENT_PROVIDERS)
  provider?: string;

  @UuidField({ optional: true })
  user_id?: string;
}

import { SetMetadata } from '@nestjs/common';

export const RAW_RESPONSE = 'haven:raw-response';

/** The handler's return value is sent as is (monitoring shapes, file downloads), not in the envelope. */
export const RawResponse = (): MethodDecorator & ClassDecorator => SetMetadata(RAW_RESPONSE, true);

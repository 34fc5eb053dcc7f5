import { Body, Controller, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { CrisisDetector } from './crisis-detector';
import { AssessTextDto, CrisisAssessmentDto } from './safety.dto';

/** Crisis-language assessment of a text, for clients that want to check before or while writing. */
@ApiTags('safety')
@Controller('safety')
export class SafetyController {
  constructor(private readonly detector: CrisisDetector) {}

  @Post('assess')
  @Authenticated()
  @ApiOperation({
    summary: 'Assess a text for crisis language (English or Russian). Stateless: the text is neither stored nor logged.',
  })
  @ApiEnvelope(CrisisAssessmentDto, { status: HttpStatus.OK })
  assess(@Body() dto: AssessTextDto): CrisisAssessmentDto {
    return this.detector.assess(dto.text);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import type { MetricListDto } from './history-query.dto';
import type { HistoryResult } from '../store/history.repository';
import { HistoryService } from './history.service';

@Controller('api/hosts')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get(':hostId/history')
  read(@Param('hostId') hostId: string, @Query() query: Record<string, unknown>): Promise<HistoryResult | MetricListDto> {
    return this.history.read(hostId, query);
  }
}

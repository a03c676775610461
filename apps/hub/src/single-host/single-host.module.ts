import { Module } from '@nestjs/common';
import { LocalAgentService } from './local-agent.service';

/** Single-host mode: the hub runs this machine's agent as a child process (`--single-host`). */
@Module({
  providers: [LocalAgentService],
  exports: [LocalAgentService],
})
export class SingleHostModule {}

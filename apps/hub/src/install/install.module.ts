import { Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { AGENT_RELEASE_DIR, defaultAgentReleaseDir } from './agent-release';
import { AgentReleaseService } from './agent-release.service';
import { InstallController } from './install.controller';

/**
 * Putting an agent on a machine: the hub serves the agent's release (the
 * install script, the manifest and the artifacts) under /install/, and
 * knows the version it hands out, against which the dashboard compares the
 * agents of the fleet.
 */
@Module({
  controllers: [InstallController],
  providers: [
    { provide: AGENT_RELEASE_DIR, inject: [HUB_CONFIG], useFactory: (config: HubConfig) => config.agentRelease ?? defaultAgentReleaseDir() },
    AgentReleaseService,
  ],
  exports: [AgentReleaseService],
})
export class InstallModule {}

import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AgentReleaseService } from './agent-release.service';

/**
 * The agent release for install scripts: /install/agent.sh, manifest.json and
 * the artifacts it lists. Open without sign-in (they hold no secret), still
 * behind the Host check; anything else under /install/ is not found.
 */
@Controller('install')
export class InstallController {
  constructor(private readonly release: AgentReleaseService) {}

  @Get(':name')
  serve(@Param('name') name: string, @Res() res: Response): void {
    const found = this.release.find(name);
    if (!found.ok) throw new NotFoundException(found.message);
    // An upgrade must see a rebuilt release at once, so nothing here is cached without asking again.
    res.sendFile(found.file, { dotfiles: 'allow', headers: { 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' } }, (error) => {
      if (error && !res.headersSent) res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'The file could not be read; rebuild the release' });
    });
  }
}

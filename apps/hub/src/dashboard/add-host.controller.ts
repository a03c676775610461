import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AddHostService, type AddHostFormView } from './add-host.service';

/** Add a host: the form, then the page with the one line and the token. Sign-in and CSRF proof are checked before a post. */
@Controller('add-host')
export class AddHostController {
  constructor(private readonly addHost: AddHostService) {}

  @Get()
  @Render('add-host')
  form(): AddHostFormView {
    return this.addHost.form();
  }

  @Post()
  add(@Body() body: unknown, @Req() req: Request, @Res() res: Response): void {
    const result = this.addHost.add(body, { protocol: req.protocol, host: req.headers.host });
    // The page holds a token shown once: no cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    res.status(result.ok ? 200 : 400).render(result.view, result.model);
  }
}

import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './dashboard-security';
import { safeNextPath } from './same-origin';
import { SignInService } from './sign-in.service';

interface SignInForm {
  password?: unknown;
  next?: unknown;
}

/** The sign-in page and form; pages and the API send a visitor here when the hub needs the admin password. */
@Controller()
export class AuthController {
  constructor(private readonly signIn: SignInService) {}

  @Get('login')
  page(@Req() req: Request, @Res() res: Response, @Query('next') next: unknown): void {
    const target = safeNextPath(next);
    if (!this.signIn.available() || req.session?.admin === true) return res.redirect(303, target);
    res.render('login', { title: 'Sign in', signInPage: true, next: target });
  }

  @Post('login')
  async submit(@Req() req: Request, @Res() res: Response, @Body() form: SignInForm): Promise<void> {
    const target = safeNextPath(form?.next);
    if (!this.signIn.available()) return res.redirect(303, target);
    if ((await this.signIn.signIn(req, form?.password)) === 'signed-in') return res.redirect(303, target);
    res.status(401).render('login', { title: 'Sign in', signInPage: true, next: target, error: 'Wrong password.' });
  }

  @Post('logout')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.signIn.signOut(req);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.secure });
    res.redirect(303, this.signIn.available() ? '/login' : '/');
  }
}

import 'reflect-metadata';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Render } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { presentHostList } from './host-list.presenter';
import { FIXTURE_NOW, hostView, listed } from './host-view.fixture';
import { configureViewEngine as sut } from './view-engine';

@Controller()
class PagesController {
  @Render('index')
  @Get('/')
  index() {
    return presentHostList([listed(hostView())], FIXTURE_NOW);
  }

  @Render('not-found')
  @Get('/missing')
  missing() {
    return { title: 'Host not found', message: 'No such host.' };
  }
}

@Module({ controllers: [PagesController] })
class PagesModule {}

describe('configureViewEngine', () => {
  let app: NestExpressApplication | undefined;
  let baseUrl: string;

  beforeEach(async () => {
    app = await NestFactory.create<NestExpressApplication>(PagesModule, { logger: false });
    sut(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('should render a view with its page frame and partials on the very first request', async () => {
    const response = await fetch(`${baseUrl}/`);
    const html = await response.text();

    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/html/);
    expect(html.startsWith('<!doctype html>')).to.equal(true);
    expect(html).to.contain('<a class="clamp" href="/hosts/web-01" title="web-01"><bdi>web-01</bdi></a>');
    expect(html).to.contain('<span class="status status-online"');
  });

  it('should render the not-found view', async () => {
    const html = await (await fetch(`${baseUrl}/missing`)).text();

    expect(html).to.contain('<h1>Host not found</h1>');
    expect(html).to.contain('<p>No such host.</p>');
  });

  it('should serve the stylesheet under /static/', async () => {
    const response = await fetch(`${baseUrl}/static/style.css`);

    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/css/);
    expect(await response.text()).to.contain('prefers-color-scheme: dark');
  });

  it("should serve uPlot's browser script and stylesheet from node_modules under /static/vendor/uplot/", async () => {
    const script = await fetch(`${baseUrl}/static/vendor/uplot/uPlot.iife.min.js`);
    const stylesheet = await fetch(`${baseUrl}/static/vendor/uplot/uPlot.min.css`);

    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect(await script.text()).to.match(/^var uPlot=/m);
    expect(stylesheet.status).to.equal(200);
    expect(stylesheet.headers.get('content-type')).to.match(/^text\/css/);
    expect(await stylesheet.text()).to.contain('.uplot');
  });
});

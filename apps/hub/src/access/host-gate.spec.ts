import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { guardHostNames } from './host-gate';
import { ANY_HOST, hostPolicyFor } from '../core/host-policy';

/** The status a request with this Host gets from `server`, which must be listening on 127.0.0.1. */
function statusFor(server: http.Server, host: string): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('guardHostNames', () => {
  const warnings: string[] = [];
  const logger = { warn: (message: string) => void warnings.push(message) };
  let server: http.Server;

  beforeEach(() => {
    warnings.length = 0;
    server = http.createServer((_req, res) => res.end('app'));
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('should leave the app as the only request and upgrade listener where every Host is answered', () => {
    const [app] = server.listeners('request');

    guardHostNames(server, ANY_HOST, logger);

    expect(server.listeners('request')).to.deep.equal([app]);
    expect(server.listeners('upgrade')).to.deep.equal([]);
  });

  it('should answer a foreign Host 421 before the app, and pass a loopback one to it', async () => {
    guardHostNames(server, hostPolicyFor({ host: '127.0.0.1' }, true), logger);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    expect(await statusFor(server, 'evil.example:3000')).to.equal(421);
    expect(await statusFor(server, 'localhost:3000')).to.equal(200);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('evil.example:3000');
  });
});

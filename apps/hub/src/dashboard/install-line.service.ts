import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { hubUrlFor, type RequestOrigin } from '../install/hub-url';
import { CA_FILE_PLACEHOLDER, installCommand } from '../install/install-command';

/** The one line the pages show, for this hub as the machines (or, failing a public URL, this browser) reach it. */
@Injectable()
export class InstallLineService {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  /** Installs the agent for one host with its token. */
  install(origin: RequestOrigin, hostId: string, token: string): string {
    return installCommand(this.target(origin), { hostId, token });
  }

  /** Upgrades an installed agent in place; the script keeps the token, host key and spool it has. */
  upgrade(origin: RequestOrigin): string {
    return installCommand(this.target(origin));
  }

  /** The CA file the line expects on the machine where the hub serves TLS itself; empty otherwise. */
  caFile(): string {
    return this.config.tlsCert ? CA_FILE_PLACEHOLDER : '';
  }

  private target(origin: RequestOrigin) {
    return { hubUrl: hubUrlFor(this.config.publicUrl, origin), tls: Boolean(this.config.tlsCert) };
  }
}
